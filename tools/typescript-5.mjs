// `node --import ./tools/typescript-5.mjs <tool>`: the tool's `typescript` (by `require` or by
// `import`) is TypeScript 5.9, the `typescript-5` npm alias. The project type-checks with
// TypeScript 7, which has no JavaScript compiler API; typescript-eslint and lit-analyzer are
// built on that API. Only processes started with this hook see the redirect.
import Module, { register } from 'node:module';

const redirect = (specifier) =>
  specifier === 'typescript' || specifier.startsWith('typescript/') ? `typescript-5${specifier.slice('typescript'.length)}` : specifier;

// CommonJS (typescript-eslint): every `require` goes through Module._resolveFilename.
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, redirect(request), ...rest);
};

// ES modules (lit-analyzer): a resolve hook, which runs on the loader thread.
register(`data:text/javascript,${encodeURIComponent(`
  const redirect = ${redirect.toString()};
  export function resolve(specifier, context, next) { return next(redirect(specifier), context); }
`)}`);

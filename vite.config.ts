import { defineConfig, type Plugin } from 'vite';
import { transform } from 'lightningcss';

/**
 * Minifies the CSS inside Lit `css\`…\`` literals of `*.styles.ts` files. The bundle's JS
 * minifier leaves template strings alone, and the stylesheets are a large share of the bytes.
 * Literals with `${…}` interpolations are left as they are.
 */
function minifyCssLiterals(): Plugin {
  return {
    name: 'bookbag-minify-css-literals',
    apply: 'build',
    transform(code, id) {
      if (!id.endsWith('.styles.ts')) return null;
      return code.replace(/= css`([^`]*)`/g, (whole, body: string) => {
        if (body.includes('${')) return whole;
        const { code: min } = transform({ filename: id, code: Buffer.from(body.replace(/\\\\/g, '\\')), minify: true, targets: { chrome: 111 << 16, firefox: 113 << 16, safari: 16 << 16 } });
        return `= css\`${min.toString().replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
      });
    },
  };
}

/**
 * marked's ESM build ends with a default `Marked` instance and the `marked()` facade, set up at
 * module level, so the bundler keeps marked's HTML renderer, parser and `Marked` class (~3 KB
 * gzip) although the widget imports only its `Lexer`. This drops that tail and exports the
 * Lexer alone. It only applies to the exact file it knows (marked is pinned); any other version
 * is left whole, which costs bytes, not correctness.
 */
function markedLexerOnly(): Plugin {
  return {
    name: 'bookbag-marked-lexer-only',
    apply: 'build',
    transform(code, id) {
      if (!/[\\/]node_modules[\\/]marked[\\/]lib[\\/]marked\.esm\.js$/.test(id)) return null;
      const start = code.indexOf('var v=new ne;');
      const end = code.indexOf('export{A as Hooks,w as Lexer,', start);
      return start < 0 || end < 0 ? null : `${code.slice(0, start)}export{w as Lexer};`;
    },
  };
}

// Library build: one self-contained ES module. Lit, eventsource-parser and marked
// are bundled (not external) so a single <script type="module"> tag is all a host page needs.
export default defineConfig({
  plugins: [minifyCssLiterals(), markedLexerOnly()],
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    lib: { entry: 'src/define.ts', formats: ['es'], fileName: () => 'bookbag-chat.js' },
    // ES library output is not whitespace-minified by default; minify for the size budget.
    rolldownOptions: { output: { minify: true, comments: false } },
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});

import { defineConfig, type Plugin } from 'vite';
import { transform } from 'lightningcss';
import ts from 'typescript-5';

/**
 * Minifies the CSS inside Lit `css\`…\`` literals of `*.styles.ts` files. The bundle's JS
 * minifier leaves template strings alone, and the stylesheets are a large share of the bytes.
 * Literals with `${…}` interpolations are left as they are.
 *
 * A minified literal becomes `unsafeCSS(\`…\`)`: for a literal without interpolations that is
 * the same stylesheet (what `css` checks is the values interpolated into it, and there are
 * none), and once no `css` call is left the bundle drops `css` and its error text.
 */
function minifyCssLiterals(): Plugin {
  return {
    name: 'bookbag-minify-css-literals',
    apply: 'build',
    transform(code, id) {
      if (!id.endsWith('.styles.ts')) return null;
      let minified = false;
      const out = code.replace(/= css`([^`]*)`/g, (whole, body: string) => {
        if (body.includes('${')) return whole;
        const { code: min } = transform({ filename: id, code: Buffer.from(body.replace(/\\\\/g, '\\')), minify: true, targets: { chrome: 111 << 16, firefox: 113 << 16, safari: 16 << 16 } });
        // lightningcss spells light-dark() for older engines with two switch variables named
        // `--lightningcss-light/-dark`; the widget's private `--_` names are shorter.
        const css = min.toString().replaceAll('--lightningcss-light', '--_light').replaceAll('--lightningcss-dark', '--_dark');
        minified = true;
        return `= unsafeCSS(\`${css.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\`)`;
      });
      return minified ? `import { unsafeCSS } from 'lit';\n${out}` : null;
    },
  };
}

/**
 * Folds the indentation inside Lit `html\`…\`` and `svg\`…\`` literals: every run of white
 * space that contains a line break becomes one line break. The JS minifier keeps template text
 * as written, and the templates are indented for reading. Under `white-space: normal` a line
 * break and any run of spaces render the same (and a flex container drops them); the widget's
 * pre-wrap boxes (user bubbles, plain replies) get their text from bindings, never from template
 * text, so nothing on screen changes. Spaces without a line break (`${a} ${b}`) stay as they are.
 * TypeScript's parser finds the literals, so a backtick in a string or comment cannot mislead it;
 * only the literal text between bindings is touched, never a binding's expression.
 */
function foldHtmlLiteralWhitespace(): Plugin {
  return {
    name: 'bookbag-fold-html-literal-whitespace',
    apply: 'build',
    transform(code, id) {
      if (!/[\\/]src[\\/].*\.ts$/.test(id) || !/\b(html|svg)`/.test(code)) return null;
      const file = ts.createSourceFile(id, code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
      const literals: ts.Node[] = [];
      const visit = (node: ts.Node): void => {
        if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && (node.tag.text === 'html' || node.tag.text === 'svg')) {
          const t = node.template;
          literals.push(...(ts.isNoSubstitutionTemplateLiteral(t) ? [t] : [t.head, ...t.templateSpans.map((span) => span.literal)]));
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
      let out = code;
      // From the end, so the earlier positions stay valid.
      for (const literal of literals.sort((a, b) => b.getStart(file) - a.getStart(file))) {
        const start = literal.getStart(file);
        out = out.slice(0, start) + out.slice(start, literal.end).replace(/[ \t]*\n\s*/g, '\n') + out.slice(literal.end);
      }
      return out;
    },
  };
}

/**
 * marked's ESM build ends with a default `Marked` instance and the `marked()` facade, set up at
 * module level, so the bundler keeps marked's HTML renderer, parser and `Marked` class (~3 KB
 * gzip) although the widget imports only its `Lexer`. This drops that tail and exports the
 * Lexer alone. It only applies to the exact file it knows (marked is pinned); any other version
 * is left whole, which costs bytes, not correctness. The folded options are the ones lexer.ts
 * passes, so the Node conformance tests (which run marked unmodified) still describe the bundle;
 * the browser suites run the bundled code in e2e.
 */
function markedLexerOnly(): Plugin {
  return {
    name: 'bookbag-marked-lexer-only',
    apply: 'build',
    transform(code, id) {
      if (!/[\\/]node_modules[\\/]marked[\\/]lib[\\/]marked\.esm\.js$/.test(id)) return null;
      const start = code.indexOf('var v=new ne;');
      const end = code.indexOf('export{A as Hooks,w as Lexer,', start);
      if (start < 0 || end < 0) return null;
      // The widget always lexes GFM without `pedantic` or `breaks` (src/markdown/lexer.ts): fold
      // those options to constants so the minifier drops their branches and rule tables.
      const tables = 'ee={normal:fe,gfm:tt,pedantic:nt},F={normal:me,gfm:pe,breaks:qt,pedantic:Dt}';
      const lexer = `${code.slice(0, start)}export{w as Lexer};`;
      if (!lexer.includes(tables)) return lexer;
      return lexer
        .replace(tables, 'ee={normal:tt,gfm:tt},F={normal:pe,gfm:pe}')
        .replaceAll('this.options.pedantic', '!1')
        .replaceAll('this.options.breaks', '!1');
    },
  };
}

// Library build: one self-contained ES module. Lit, eventsource-parser and marked
// are bundled (not external) so a single <script type="module"> tag is all a host page needs.
export default defineConfig({
  plugins: [minifyCssLiterals(), foldHtmlLiteralWhitespace(), markedLexerOnly()],
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    lib: { entry: 'src/define.ts', formats: ['es'], fileName: () => 'bookbag-chat.js' },
    // ES library output is not whitespace-minified by default; minify for the size budget.
    // Built-in locales other than English are dynamic imports: each becomes a small sibling file,
    // loaded relative to the bundle's URL only when an element needs that language.
    // 'allow-extension': modules the entry shares with the markdown chunk stay in the entry (which
    // then exports them to the chunk) instead of becoming a third file.
    rolldownOptions: { preserveEntrySignatures: 'allow-extension', output: { minify: true, comments: false, chunkFileNames: 'bookbag-chat-[name]-[hash].js' } },
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});

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

// Library build: one self-contained ES module. Lit, eventsource-parser and streaming-markdown
// are bundled (not external) so a single <script type="module"> tag is all a host page needs.
export default defineConfig({
  plugins: [minifyCssLiterals()],
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    lib: { entry: 'src/define.ts', formats: ['es'], fileName: () => 'bookbag-chat.js' },
    // ES library output is not whitespace-minified by default; minify for the size budget.
    // Built-in locales other than English are dynamic imports: each becomes a small sibling file,
    // loaded relative to the bundle's URL only when an element needs that language.
    rolldownOptions: { output: { minify: true, comments: false, chunkFileNames: 'bookbag-chat-[name]-[hash].js' } },
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});

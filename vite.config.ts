import { defineConfig } from 'vite';

// Library build: one self-contained ES module. Lit and eventsource-parser are bundled
// (not external) so a single <script type="module"> tag is all a host page needs.
export default defineConfig({
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

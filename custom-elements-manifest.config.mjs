// `npm run manifest` (cem analyze --litelement): writes custom-elements.json at the repo root
// from the element's source and its JSDoc (@summary, @slot, @fires, @csspart, @cssprop and the
// field docs). test/node/manifest.test.ts fails when the committed file is stale.
//
// Only the element's module is analysed: everything else in src/ is plumbing (or, for
// src/proxy/, server code) and has no custom element in it. The plugin below fixes what the
// analyser (0.11) gets wrong for this element and points the manifest at the published files.

const ELEMENT_SOURCE = 'src/element/bookbag-chat.ts';
const TAG = 'bookbag-chat';
const CLASS = 'BookbagChat';

/** `src/x.ts` → `dist/lib/x.js`: the module a consumer of the npm package actually imports. */
const publishedPath = (path) => path.replace(/^src\//, 'dist/lib/').replace(/\.ts$/, '.js');

function bookbagManifestFixes() {
  /** Names declared with `state: true` in `static properties`, per class. */
  const stateProps = new Map();
  return {
    name: 'bookbag-manifest-fixes',
    analyzePhase({ ts, node }) {
      // Lit's `{ state: true }` means internal reactive state, never an attribute; the analyser
      // reads such entries as attributes (draft, unread, …). Collect them here, drop them below.
      if (!ts.isClassDeclaration(node) || !node.name) return;
      for (const member of node.members) {
        const isStatic = member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
        if (!isStatic || member.name?.getText() !== 'properties' || !member.initializer) continue;
        if (!ts.isObjectLiteralExpression(member.initializer)) continue;
        const names = new Set();
        for (const prop of member.initializer.properties) {
          if (!ts.isPropertyAssignment(prop) || !ts.isObjectLiteralExpression(prop.initializer)) continue;
          const isState = prop.initializer.properties.some(
            (o) => ts.isPropertyAssignment(o) && o.name.getText() === 'state' && o.initializer.kind === ts.SyntaxKind.TrueKeyword,
          );
          if (isState) names.add(prop.name.getText());
        }
        stateProps.set(node.name.getText(), names);
      }
    },
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        const isElementModule = mod.path === ELEMENT_SOURCE;
        // Locals the analyser mistakes for module-level declarations (e.g. `const strings` in
        // render()): keep only what the module exports.
        const exported = new Set((mod.exports ?? []).map((e) => e.declaration?.name));
        mod.declarations = (mod.declarations ?? []).filter((d) => exported.has(d.name));
        // `static define(tag) { customElements.define(tag, this) }` reads as a definition of a tag
        // named "tag" by an anonymous class; the real one is in define.js (added below).
        mod.exports = (mod.exports ?? []).filter((e) => !(e.kind === 'custom-element-definition' && !/^[a-z][a-z0-9]*-/.test(e.name)));
        for (const decl of mod.declarations) {
          const state = stateProps.get(decl.name);
          if (state?.size) {
            decl.attributes = decl.attributes?.filter((a) => !state.has(a.fieldName));
            for (const m of decl.members ?? []) if (state.has(m.name)) delete m.attribute;
          }
          // Private members are not part of the public surface. The `lang` attribute is backed by
          // a private field (the property is the native `HTMLElement.lang`), so it keeps no fieldName.
          const isPrivate = (m) => m.privacy === 'private' || m.name.startsWith('#');
          const privateNames = new Set((decl.members ?? []).filter(isPrivate).map((m) => m.name));
          if (decl.members) decl.members = decl.members.filter((m) => !isPrivate(m));
          for (const a of decl.attributes ?? []) if (privateNames.has(a.fieldName)) delete a.fieldName;
          decl.events = decl.events?.filter((e) => e.name);
        }
        if (isElementModule) {
          customElementsManifest.modules.push({
            kind: 'javascript-module',
            path: 'src/define.ts',
            declarations: [],
            exports: [{ kind: 'custom-element-definition', name: TAG, declaration: { name: CLASS, module: ELEMENT_SOURCE } }],
          });
        }
      }
      // Paths of the published package (dist/lib/*.js), not of the TypeScript sources.
      for (const mod of customElementsManifest.modules) {
        mod.path = publishedPath(mod.path);
        for (const e of mod.exports ?? []) if (e.declaration?.module) e.declaration.module = publishedPath(e.declaration.module);
        for (const d of mod.declarations ?? []) {
          if (d.superclass?.module) d.superclass.module = publishedPath(d.superclass.module);
          for (const m of d.members ?? []) if (m.inheritedFrom?.module) m.inheritedFrom.module = publishedPath(m.inheritedFrom.module);
        }
      }
    },
  };
}

export default {
  globs: [ELEMENT_SOURCE],
  exclude: ['src/proxy/**', 'test/**', 'demo/**', 'dist/**', 'node_modules/**'],
  outdir: '.',
  litelement: true,
  // The package.json `customElements` field is written by hand; don't let the analyser edit it.
  packagejson: false,
  plugins: [bookbagManifestFixes()],
};

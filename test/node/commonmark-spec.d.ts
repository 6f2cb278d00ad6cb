// Types for the `commonmark-spec` package (it ships none): the spec's examples as data.
declare module 'commonmark-spec' {
  const spec: { text: string; tests: { markdown: string; html: string; section: string; number: number }[] };
  export default spec;
}

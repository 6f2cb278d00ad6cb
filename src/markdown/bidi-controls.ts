/**
 * Unicode bidirectional formatting characters: embeddings and overrides (U+202A–U+202E),
 * isolates (U+2066–U+2069), and the implicit marks (LRM, RLM, ALM). Any of them can reorder
 * what a reader sees.
 *
 * Its own module because the tool-approval card (in the main bundle) shows them too: importing
 * it from link-display.ts pulled that whole module out of the markdown chunk into the bundle.
 */
export const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

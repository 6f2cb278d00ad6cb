import { html } from 'lit';

// Static, widget-owned SVG paths (never server text). aria-hidden: buttons carry the labels.
// (No focusable="false": only IE and legacy Edge ever put inline SVG in the tab order.)
const icon = (d: string) => html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d=${d}></path></svg>`;

export const chatIcon = icon('M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z');
export const closeIcon = icon('M5 6.4 6.4 5l5.6 5.6L17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6z');
export const sendIcon = icon('M3 20.5 21 12 3 3.5v6.6L15 12 3 13.9z');
export const stopIcon = icon('M7 7h10v10H7z');
export const newIcon = icon('M11 5h2v6h6v2h-6v6h-2v-6H5v-2h6z');
export const historyIcon = icon('M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zm0 2a7 7 0 1 1 0 14 7 7 0 0 1 0-14zm-1 2h2v5l4 2-1 2-5-3z');
export const backIcon = icon('M20 11H7.8l5.6-5.6L12 4l-8 8 8 8 1.4-1.4L7.8 13H20z');
export const retryIcon = icon('M12 4V1L7 6l5 5V7a5 5 0 1 1-5 5H5a7 7 0 1 0 7-8z');
export const thumbUpIcon = icon('M2 10h4v11H2zm6 11h9l4-9v-2h-7l1-6-2-2-5 7z');
export const thumbDownIcon = icon('M22 14h-4V3h4zM16 3H7l-4 9v2h7l-1 6 2 2 5-7z');
export const copyIcon = icon('M8 3h10a2 2 0 0 1 2 2v12h-2V5H8zM5 7h9a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V9a2 2 0 0 1 2-2zm0 2v11h9V9z');

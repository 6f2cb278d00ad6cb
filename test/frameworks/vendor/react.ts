// Entry of the React bundle that web-test-runner.config.mjs builds with esbuild and serves as
// /__frameworks/react.js (React ships CommonJS only). It must not import the widget: the tests
// import the element from source, so exactly one definition exists.
export { createElement, useEffect, useRef, useState } from 'react';
export { createRoot } from 'react-dom/client';
export { flushSync } from 'react-dom';
export type { ReactNode } from 'react';
export type { Root } from 'react-dom/client';

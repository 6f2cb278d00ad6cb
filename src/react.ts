/**
 * JSX typings for React 19 users: with `import type {} from 'bookbag-chat/react'` once in the
 * app (or `"types": ["bookbag-chat/react"]` in tsconfig), `<bookbag-chat>` type-checks in TSX.
 * It accepts the element's attributes (`agent-id`, `api-base`, …), its properties (React 19
 * sets a prop as a property when the element has one: `tools`, `strings`, `headers`, …) and a
 * listener for each event as `on` + the event name (`onbookbag-message`), with typed `detail`.
 * A separate entry, so the main types don't require `@types/react`. Types only: no runtime code.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { BookbagChat } from './bookbag-chat.js';
import type { BookbagEventDetails } from './events.js';

/** The element's attributes as written in markup. */
export interface BookbagChatAttributes {
  'agent-id'?: string | number;
  'api-base'?: string;
  'api-key'?: string;
  'user-id'?: string;
  'with-credentials'?: boolean;
  mode?: BookbagChat['mode'];
  open?: boolean;
  heading?: string;
  placeholder?: string;
  welcome?: string;
  storage?: BookbagChat['storage'];
  'no-stream'?: boolean;
  /** Space-separated origins. */
  'image-origins'?: string;
}

/** Properties React 19 sets on the element directly (the only way to pass functions and objects). */
export type BookbagChatProperties = Partial<Pick<BookbagChat,
  'agentId' | 'apiBase' | 'apiKey' | 'userId' | 'withCredentials' | 'noStream' | 'imageOrigins' | 'tools' | 'headers' | 'strings' | 'suggestions'>>;

/** `onbookbag-message={(e) => e.detail.message}`: one listener prop per event. */
export type BookbagChatEventProps = {
  [K in keyof BookbagEventDetails as `on${K}`]?: (event: CustomEvent<BookbagEventDetails[K]>) => void;
};

/** Everything `<bookbag-chat>` accepts in TSX. */
export type BookbagChatJSXProps = DetailedHTMLProps<Omit<HTMLAttributes<BookbagChat>, keyof BookbagChatAttributes>, BookbagChat> &
  BookbagChatAttributes & BookbagChatProperties & BookbagChatEventProps;

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- React declares JSX as a namespace; augmenting it takes one
  namespace JSX {
    interface IntrinsicElements {
      'bookbag-chat': BookbagChatJSXProps;
    }
  }
}

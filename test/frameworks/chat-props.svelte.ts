// Reactive props for Chat.svelte, as Svelte 5 documents for `mount(App, { props })`: fields
// declared with `$state.raw` (objects and functions are passed as they are, not proxied), so
// assigning one from the test re-renders the component. Compiled with compileModule by the
// wtr config.
import type { BookbagEventDetails } from '../../src/events.js';
import type { ToolEntry } from '../../src/core/tool-runner.js';
import type { TestAgent } from '../helpers/local-server.js';

type Listener<K extends keyof BookbagEventDetails> = (event: CustomEvent<BookbagEventDetails[K]>) => void;

export interface ChatPropsInit {
  agent: TestAgent;
  heading: string;
  tools: Record<string, ToolEntry>;
  onmessage: Listener<'bookbag-message'>;
  ontoolresult: Listener<'bookbag-tool-result'>;
}

export class ChatProps implements ChatPropsInit {
  agent = $state.raw() as TestAgent;
  heading = $state.raw('');
  tools = $state.raw() as Record<string, ToolEntry>;
  onmessage = $state.raw() as Listener<'bookbag-message'>;
  ontoolresult = $state.raw() as Listener<'bookbag-tool-result'>;

  constructor(init: ChatPropsInit) {
    Object.assign(this, init);
  }
}

// The scripted demo agent. Keyword rules pick a reply so the demo page can show every
// feature (markdown, client tools, long answers) without a model. Deterministic on purpose:
// tests assert on exact text.
import type { ScriptedToolCall } from './types.ts';

export interface Plan {
  text: string;
  toolCalls: ScriptedToolCall[];
  /** Scripted continuation after tool results; null lets the demo agent word it. */
  after: string | null;
}

export interface ToolOutcome { toolName: string; input: unknown; output: unknown }

export const SHOWCASE = `## Markdown showcase

Here is everything the widget should render. Text can be **bold**, _italic_, or **_both_**, and \`inline code\` stays monospaced.

### Lists

- Fruit
  - Apples
  - Pears
- Vegetables
  - Carrots

1. Open the cart
2. Check the items
3. Pay

### Code

\`\`\`ts
function greet(name: string): string {
  return \`Hello, \${name}!\`;
}
\`\`\`

> Quotes look like this — useful for citing a policy.

See [the example site](https://example.com) for more.

| Item | Qty | Price |
| --- | ---: | ---: |
| Blue mug | 1 | $12.00 |
| Tea towel | 2 | $8.50 |

---

That's the full tour.`;

export const GREETING = "Hello! I'm the Bookbag demo agent. Ask me anything, or try \"show me markdown\", \"add a blue mug to my cart\" or \"switch to dark mode\".";

const NUMBER_WORDS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
};

function quantityIn(message: string): number {
  const digits = /\b(\d{1,4})\b/.exec(message);
  if (digits) return Math.max(1, Number(digits[1]));
  const word = new RegExp(`\\b(${Object.keys(NUMBER_WORDS).join('|')})\\b`, 'i').exec(message);
  return word ? NUMBER_WORDS[word[1].toLowerCase()] : 1;
}

/** "Add 2 red scarves to my cart" → "Red scarves"; falls back to the demo's blue mug. */
function itemIn(message: string): string {
  const m = /\b(?:add|put|buy)\s+(.+?)(?:\s+(?:to|in|into|on)\b|[.!?,;]|$)/i.exec(message);
  let item = m ? m[1] : '';
  item = item.replace(/^(?:\d+|a|an|the|some|one|two|three|four|five|six|seven|eight|nine|ten)\s+/i, '')
    .replace(/^(?:of\s+)?(?:the\s+|my\s+)?/i, '')
    .trim();
  if (!item || /^(it|this|that|them|something|one|more)$/i.test(item) || /cart/i.test(item) || item.length > 40) {
    return 'Blue mug';
  }
  return item[0].toUpperCase() + item.slice(1);
}

function themeIn(message: string): 'dark' | 'light' {
  return /\blight\b/i.test(message) ? 'light' : 'dark';
}

function quoteQuestion(message: string): string {
  const flat = message.trim().replace(/\s+/g, ' ');
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
}

const LONG_TOPICS = ['Getting started', 'Orders and shipping', 'Returns', 'Accounts', 'Payments', 'Gift cards', 'Support hours'];

/** About 2,000 words of plain markdown paragraphs, for scrolling and performance checks. */
export function longReply(): string {
  const sections: string[] = [];
  for (let s = 0; s < LONG_TOPICS.length; s++) {
    sections.push(`## ${s + 1}. ${LONG_TOPICS[s]}`);
    for (let p = 1; p <= 3; p++) {
      sections.push(
        `Paragraph ${p} of section ${s + 1} covers ${LONG_TOPICS[s].toLowerCase()} in more detail than anyone needs. `
        + 'It exists so the chat window has to scroll, wrap and keep up while many small text deltas arrive one after another. '
        + 'Each sentence is ordinary prose with a little **bold** and a little _italic_ to keep the markdown renderer busy. '
        + 'Nothing here is random, so the same question always produces exactly the same answer, word for word. '
        + 'When the stream finishes the widget should still be responsive, the scroll position should follow the newest text, and the message should be complete.',
      );
    }
  }
  return sections.join('\n\n');
}

/** Markdown of roughly `bytes` UTF-8 bytes, cut at a word boundary. */
export function sizedReply(bytes: number): string {
  const block = '### Section\n\nThis paragraph pads a very large reply so clients can be tested against **big** streams — it repeats until the size is reached.\n\n';
  const parts: string[] = [];
  let size = 0;
  const blockBytes = Buffer.byteLength(block);
  while (size + blockBytes <= bytes) { parts.push(block); size += blockBytes; }
  const rest = Math.max(0, bytes - size);
  if (rest > 0) parts.push('x'.repeat(rest));
  return parts.join('');
}

export function demoReply(message: string): Plan {
  const m = message.toLowerCase();
  const plan = (text: string, toolCalls: ScriptedToolCall[] = []): Plan => ({ text, toolCalls, after: null });
  if (m.includes('both tools') || m.includes('two tools')) {
    return plan('Sure — doing both now.', [
      { toolName: 'add_to_cart', input: { item: itemIn(message), quantity: quantityIn(message) } },
      { toolName: 'set_theme', input: { theme: themeIn(message) } },
    ]);
  }
  if (m.includes('markdown') || m.includes('showcase')) return plan(SHOWCASE);
  if (m.includes('cart')) {
    return plan('Adding it now.', [{ toolName: 'add_to_cart', input: { item: itemIn(message), quantity: quantityIn(message) } }]);
  }
  if (m.includes('theme') || m.includes('dark mode') || m.includes('light mode')) {
    const theme = themeIn(message);
    return plan(`Switching to ${theme} mode.`, [{ toolName: 'set_theme', input: { theme } }]);
  }
  if (m.includes('title')) return plan('Let me check the page title.', [{ toolName: 'get_page_title', input: {} }]);
  if (m.includes('long')) return plan(longReply());
  if (/^\s*(hi|hello|hey|hiya|howdy|greetings|good (morning|afternoon|evening))\b/.test(m)) return plan(GREETING);
  return plan(
    `You asked: "${quoteQuestion(message)}". I'm the local Bookbag demo agent, so I can't look that up for real, `
    + 'but a production agent would answer it from its knowledge base right here. '
    + 'Try asking for a **markdown showcase**, to add something to your **cart**, or to switch to **dark mode**.',
  );
}

function errorOf(output: unknown): string | null {
  if (output && typeof output === 'object' && 'error' in output) {
    const e = (output as { error: unknown }).error;
    return typeof e === 'string' ? e : JSON.stringify(e);
  }
  return null;
}

function field(value: unknown, key: string): unknown {
  return value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

function sentenceFor({ toolName, input, output }: ToolOutcome): string {
  const error = errorOf(output);
  if (toolName === 'add_to_cart') {
    const item = String(field(input, 'item') ?? 'the item');
    if (error) return `Sorry — I couldn't add ${item} to your cart: ${error}.`;
    const count = field(output, 'cartCount');
    if (typeof count === 'number') return `Done — your cart now has ${count} ${count === 1 ? 'item' : 'items'}.`;
    return `Done — ${item} is in your cart.`;
  }
  if (toolName === 'set_theme') {
    if (error) return `Sorry — I couldn't change the theme: ${error}.`;
    return `Done — the page is now in ${String(field(input, 'theme') ?? 'the new')} mode.`;
  }
  if (toolName === 'get_page_title') {
    if (error) return `Sorry — I couldn't read the page title: ${error}.`;
    const title = field(output, 'title');
    return typeof title === 'string' ? `The page title is "${title}".` : "I couldn't read the page title.";
  }
  if (error) return `The ${toolName} tool failed: ${error}.`;
  return `Thanks — ${toolName} finished.`;
}

/** Text the agent says once every tool call of a turn has a result. */
export function continuation(outcomes: ToolOutcome[], after: string | null): string {
  if (after !== null) return after;
  return outcomes.map(sentenceFor).join(' ');
}

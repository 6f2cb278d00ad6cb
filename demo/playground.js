// The playground: the element live on the local Bookbag server, with a panel for each part of
// its public surface. Plain ES modules, no build step, so the same files run under Vite (dev)
// and from `npm start -- --built`. Each concern lives in its own module under ./playground/.
import { connectAgent } from './playground/agent.js';
import { initAttributes, markupOf } from './playground/attributes.js';
import { wireCopy } from './playground/dom.js';
import { createLog, watchEvents, wireCancelSend } from './playground/events.js';
import { initFaults } from './playground/faults.js';
import { initMethods } from './playground/methods.js';
import { initProperties } from './playground/properties.js';
import { initTokens } from './playground/tokens.js';
import { initTools } from './playground/tools.js';

const $ = (id) => document.getElementById(id);
const element = document.querySelector('bookbag-chat');

// The log first, so nothing the element does while starting up is missed.
const log = createLog({ list: $('log'), count: $('log-count'), clear: $('log-clear') });
watchEvents(document, log);
wireCancelSend(element, $('cancel-send'));

// Properties set after the upgrade go straight to the element's own accessors.
await customElements.whenDefined('bookbag-chat');

const agent = await connectAgent();
element.setAttribute('api-key', agent.apiKey);
element.setAttribute('agent-id', agent.agentId);
$('connection').textContent = agent.mock
  ? `Agent ${agent.agentId}: a test agent made for this tab on the local server (POST /__mock/agents), so switches and scripted replies stay here.`
  : `Agent ${agent.agentId}: the demo agent (this server has no /__mock API, so scripted tool prompts are off).`;

const tokens = initTokens({ element, container: $('token-controls'), css: $('token-css') });
const methods = initMethods({ element, container: $('method-controls'), log });
initTools({ element, container: $('tool-controls'), hint: $('tools-hint'), log, tokens, send: methods.send, scripted: agent.mock });
initFaults({ element, container: $('fault-controls'), log });
initProperties({ element, container: $('property-controls') });
initAttributes({
  element,
  container: $('attribute-controls'),
  markup: $('markup'),
  // Launcher mode floats the element over the page; say where it went.
  onChange: () => { $('launcher-note').hidden = element.getAttribute('mode') === 'inline'; },
});
wireCopy($('copy-markup'), $('copy-markup-status'), () => markupOf(element));
wireCopy($('copy-css'), $('copy-css-status'), () => $('token-css').textContent ?? '');

// Read-only properties. `status` changes without an event of its own (submitted → streaming
// → idle), so it is polled; the values are tiny and the page is a development tool.
const put = (id, text) => {
  // <output> is a live region: only touch it when the value really changed.
  if ($(id).textContent !== text) $(id).textContent = text;
};
const showState = () => {
  put('state-status', element.status);
  put('state-conversation', String(element.conversationId));
  put('state-messages', String(element.messages.length));
};
setInterval(showState, 200);
showState();
// On a phone the panels start folded, so the element and the panel names fit on a screen.
if (matchMedia('(max-width: 720px)').matches) for (const d of document.querySelectorAll('.controls details')) d.open = false;
document.body.dataset.ready = 'true';

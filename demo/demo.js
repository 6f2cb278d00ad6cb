// The demo host page: plain JavaScript, no framework. Registers client-side tools that the
// local agent calls, so a visitor can watch the tool loop change this page.
const chat = document.querySelector('bookbag-chat');
const cartItems = [];

chat.suggestions = ['Show me some markdown', 'Add 2 blue mugs to my cart', 'What is the title of this page?'];
chat.tools = {
  add_to_cart: ({ item = 'Blue mug', quantity = 1 }) => {
    cartItems.push(`${quantity} × ${item}`);
    const count = cartItems.reduce((n, line) => n + Number.parseInt(line, 10), 0);
    document.getElementById('cart-count').textContent = String(count);
    const li = document.createElement('li');
    li.textContent = `${quantity} × ${item}`;
    document.getElementById('cart-items').append(li);
    return { ok: true, cartCount: count };
  },
  set_theme: {
    confirm: 'Change this page’s theme?',
    handler: ({ theme }) => {
      document.body.classList.toggle('dark', theme === 'dark');
      return { theme };
    },
  },
  get_page_title: () => ({ title: document.title }),
};

// Expected DOM of each corpus reply (serialize() of test/markdown/helpers.ts), checked by eye.
export const EXPECTED: Record<string, string> = {
  "greeting":
    "<p>Sure! Here is a quick summary of what I found.</p>",
  "headed answer":
    "<h2>Overview</h2><p>The build failed because <strong>two</strong> dependencies disagree.</p><h3>Fix</h3><p>Pin the older one.</p>",
  "setext headings":
    "<h1>Installation</h1><h2>Requirements</h2><p>Node 20 or newer.</p>",
  "nested list":
    "<ul><li>Frontend<ul><li>React</li><li>Vite</li></ul></li><li>Backend<ul><li>Node<ul><li>Express</li></ul></li></ul></li></ul><p>That covers the stack.</p>",
  "numbered steps with code":
    "<ol><li><p>Install the package:</p><div><div><span>sh</span><button>Copy code</button></div><pre><code>npm install marked\n</code></pre></div></li><li><p>Import it:</p><div><div><span>js</span><button>Copy code</button></div><pre><code>import { marked } from \"marked\";\n</code></pre></div></li><li><p>Done.</p></li></ol>",
  "numbered item with two paragraphs":
    "<ol><li><p>First step.</p><p>It has a second paragraph.</p></li><li><p>Second step.</p></li></ol>",
  "task list":
    "<p>Progress:</p><ul><li><input disabled checked> Parse the input</li><li><input disabled checked> Render the DOM</li><li><input disabled> Write the docs</li></ul>",
  "comparison table":
    "<div><table><thead><tr><th align=\"left\">Parser</th><th align=\"right\">Size</th><th align=\"center\">Speed</th></tr></thead><tbody><tr><td align=\"left\">marked</td><td align=\"right\">15 KB</td><td align=\"center\">fast</td></tr><tr><td align=\"left\">micromark</td><td align=\"right\">21 KB</td><td align=\"center\">slower</td></tr></tbody></table></div>",
  "table with inline markup":
    "<div><table><thead><tr><th>Option</th><th>Meaning</th></tr></thead><tbody><tr><td><code>--force</code></td><td>skip <strong>all</strong> checks</td></tr><tr><td><code>a | b</code></td><td>a literal pipe</td></tr></tbody></table></div>",
  "shell snippet with variables":
    "<p>Add it to your path:</p><div><div><span>bash</span><button>Copy code</button></div><pre><code>export PATH=\"$HOME/bin:$PATH\"\necho $PATH\n</code></pre></div><p>Then run <code>echo $SHELL</code> to check.</p>",
  "shell variables in prose":
    "<p>Set $NODE_ENV to production and check $PATH before you run it; it costs $5 or $10.</p>",
  "php snippet":
    "<p>In PHP, variables start with <code>$</code>:</p><div><div><span>php</span><button>Copy code</button></div><pre><code>&lt;?php\n$name = \"World\";\necho \"Hello, $name!\";\n</code></pre></div><p>So $name holds the string.</p>",
  "python with kwargs":
    "<p>Use <code>**kwargs</code> to accept extra options, or write def f(**kwargs) directly.</p>",
  "inline math":
    "<p>The area is <code>$A = \\pi r^2$</code> and the energy is <code>\\(E = mc^2\\)</code>.</p>",
  "display math":
    "<p>The quadratic formula:</p><div>$$\nx = \\frac{-b \\pm \\sqrt{b^2 - 4ac}}{2a}\n$$</div><p>and also <code>\\[a^2 + b^2 = c^2\\]</code></p>",
  "entities":
    "<p>Copyright © 2026 — all rights reserved. 5 × 3 ≠ 16 &amp; €10.</p>",
  "footnotes":
    "<p>Markdown was created in 2004<sup>1</sup> and standardised later<sup>2</sup>.</p><section><ol><li><p>By John Gruber.</p></li><li><p>CommonMark, 2014.</p></li></ol></section>",
  "cjk":
    "<h2>概要</h2><p>这是一个<strong>测试</strong>。日本語の文章も表示できます。</p><ul><li>項目一</li><li>項目二</li></ul>",
  "rtl arabic":
    "<p>مرحبا بك! هذا <strong>نص</strong> عربي.</p><ul><li>البند الأول</li><li>البند الثاني</li></ul>",
  "rtl hebrew with code":
    "<p>שלום עולם</p><div><div><span>js</span><button>Copy code</button></div><pre><code>console.log(\"hi\");\n</code></pre></div>",
  "mixed direction":
    "<p>English first.</p><p>عربي ثانيا.</p>",
  "links":
    "<p>See the <a href=\"https://example.com/docs\" title=\"example.com: Docs\">docs</a> or <a href=\"https://example.com/faq\" title=\"example.com\">https://example.com/faq</a>, or mail <a href=\"mailto:help@example.com\">help@example.com</a>.</p>",
  "www autolink":
    "<p>Visit <a href=\"http://www.example.com/\" title=\"www.example.com\">www.example.com</a> or <a href=\"https://example.org/path?q=1\" title=\"example.org\">https://example.org/path?q=1</a>.</p>",
  "reference links":
    "<p>Read <a href=\"https://example.com/guide\" title=\"example.com\">the guide</a> and <a href=\"https://example.com/faq\" title=\"example.com\">the FAQ</a>.</p>",
  "blockquote with list":
    "<blockquote><p>Note:</p><ul><li>first</li><li>second</li></ul></blockquote><p>Back to normal.</p>",
  "nested quotes":
    "<blockquote><p>outer</p><blockquote><p>inner</p></blockquote></blockquote><p>after</p>",
  "strikethrough":
    "<p>This is <del>wrong</del> right, and <del>so is this</del>.</p>",
  "emphasis variety":
    "<p>Use <em>italics</em>, <em>also italics</em>, <strong>bold</strong>, <strong>bold</strong>, <em><strong>both</strong></em> and <strong><em>mixed</em></strong>.</p>",
  "snake case":
    "<p>Call my_function_name with some_var and <strong>init</strong> stays as is.</p>",
  "hard breaks":
    "<p>Line one<br>Line two<br>Line three</p>",
  "escapes":
    "<p>Not *emphasis*, not `code`, a literal | pipe and # hash.</p>",
  "tilde fence":
    "<div><div><span>python</span><button>Copy code</button></div><pre><code>def f():\n    return 1\n</code></pre></div>",
  "indented code":
    "<p>Output:</p><div><div><span></span><button>Copy code</button></div><pre><code>total 0\ndrwxr-xr-x  2 user\n</code></pre></div>",
  "thematic break":
    "<p>Part one.</p><hr><p>Part two.</p>",
  "raw html is text":
    "<p>You can write &lt;div class=\"x\"&gt;markup&lt;/div&gt; but it shows as text.<br>After a br.</p>",
  "image as link":
    "<p>Here is a chart: <a href=\"https://images.example.com/chart.png\" title=\"images.example.com\">sales chart</a></p>",
  "long code block":
    "<div><div><span>ts</span><button>Copy code</button></div><pre><code>const v0 = 0 * 2; // line 0\nconst v1 = 1 * 2; // line 1\nconst v2 = 2 * 2; // line 2\nconst v3 = 3 * 2; // line 3\nconst v4 = 4 * 2; // line 4\nconst v5 = 5 * 2; // line 5\nconst v6 = 6 * 2; // line 6\nconst v7 = 7 * 2; // line 7\nconst v8 = 8 * 2; // line 8\nconst v9 = 9 * 2; // line 9\nconst v10 = 10 * 2; // line 10\nconst v11 = 11 * 2; // line 11\n</code></pre></div>",
  "list after paragraph":
    "<p>Options are:</p><ul><li>one</li><li>two</li></ul><p>Pick one.</p>",
  "loose list":
    "<ul><li><p>First item</p></li><li><p>Second item</p></li><li><p>Third item</p></li></ul>",
  "ordered start":
    "<ol start=\"3\"><li>third</li><li>fourth</li></ol>",
  "code in blockquote":
    "<blockquote><div><div><span></span><button>Copy code</button></div><pre><code>quoted code\n</code></pre></div></blockquote>",
  "json answer":
    "<p>Here is the JSON:</p><div><div><span>json</span><button>Copy code</button></div><pre><code>{\n  \"name\": \"bookbag\",\n  \"ok\": true\n}\n</code></pre></div>",
};

/* Civic Service Assistant: embeddable chat widget for other government sites.
 *
 *   <script src="https://ASSISTANT-HOST/static/widget.js" data-lang="zh" async></script>
 *
 * Adds a "ask us" button in the corner; it opens the web chat (/?embed=1) in a frame next to it.
 * Plain ES5, no globals besides one guard, styles set through the DOM (so host pages with a strict
 * CSP work), keyboard usable: Escape closes the panel and focus returns to the button.
 */
(function () {
  "use strict";
  if (window.__civicWidget) return;
  window.__civicWidget = true;

  var script = document.currentScript;
  if (!script) return;
  var origin = new URL(script.src, location.href).origin;
  var lang = script.getAttribute("data-lang") === "en" ? "en" : "zh";
  var text = lang === "en"
    ? { open: "Ask about government services", close: "Close the chat", frame: "Government services assistant" }
    : { open: "政务服务在线咨询", close: "关闭咨询窗口", frame: "政务服务助手" };

  function style(el, rules) {
    for (var key in rules) if (Object.prototype.hasOwnProperty.call(rules, key)) el.style[key] = rules[key];
    return el;
  }

  var launcher = style(document.createElement("button"), {
    position: "fixed", right: "16px", bottom: "16px", zIndex: "2147483000",
    minHeight: "56px", padding: "0 20px", borderRadius: "28px", border: "3px solid #ffffff",
    background: "#0a4a82", color: "#ffffff", font: "700 18px/1.4 system-ui, sans-serif",
    boxShadow: "0 2px 8px rgba(0,0,0,0.35)", cursor: "pointer"
  });
  launcher.type = "button";
  launcher.id = "civic-widget-launcher";
  launcher.textContent = text.open;
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "civic-widget-panel");

  var panel = style(document.createElement("section"), {
    position: "fixed", right: "16px", bottom: "88px", zIndex: "2147483000",
    width: "min(420px, calc(100vw - 32px))", height: "min(640px, calc(100vh - 120px))",
    background: "#ffffff", border: "2px solid #1a1a1a", borderRadius: "12px",
    boxShadow: "0 4px 16px rgba(0,0,0,0.35)", display: "none", overflow: "hidden"
  });
  panel.id = "civic-widget-panel";
  panel.setAttribute("aria-label", text.frame);

  var close = style(document.createElement("button"), {
    position: "absolute", top: "6px", right: "6px", width: "44px", height: "44px",
    border: "2px solid #1a1a1a", borderRadius: "8px", background: "#ffffff", color: "#1a1a1a",
    font: "700 22px/1 system-ui, sans-serif", cursor: "pointer", zIndex: "1"
  });
  close.type = "button";
  close.textContent = "×";
  close.setAttribute("aria-label", text.close);

  var frame = null;

  function open() {
    if (!frame) {
      frame = style(document.createElement("iframe"), { width: "100%", height: "100%", border: "0" });
      frame.title = text.frame;
      frame.src = origin + "/?embed=1&lang=" + lang;
      frame.setAttribute("allow", "microphone; autoplay");
      panel.appendChild(frame);
    }
    panel.style.display = "block";
    launcher.setAttribute("aria-expanded", "true");
    close.focus();
  }

  function hide() {
    panel.style.display = "none";
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }

  launcher.addEventListener("click", function () {
    if (panel.style.display === "none") open(); else hide();
  });
  close.addEventListener("click", hide);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hide();
  });

  panel.appendChild(close);
  function mount() {
    document.body.appendChild(panel);
    document.body.appendChild(launcher);
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();

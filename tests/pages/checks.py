"""Measurements the page tests make inside the page: axe-core, contrast, focus, sizes."""

from __future__ import annotations

from typing import List

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

#: Contrast of every visible piece of text against the background it is actually drawn on
#: (walking up the ancestors to the first opaque background).
CONTRAST_JS = """
(root) => {
  const parse = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(',').map(Number); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const lum = ({r, g, b}) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const bgOf = (el) => { for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0.5) return c; } return {r: 255, g: 255, b: 255, a: 1}; };
  const out = [];
  for (const el of (root || document).querySelectorAll('body *')) {
    const own = [...el.childNodes].filter((n) => n.nodeType === 3 && n.textContent.trim()).map((n) => n.textContent.trim()).join(' ');
    if (!own) continue;
    const rect = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (rect.width <= 1 || rect.height <= 1 || style.visibility === 'hidden' || el.closest('[hidden]')) continue;
    const fg = parse(style.color), bg = bgOf(el);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    out.push({text: own.slice(0, 40), tag: el.tagName, ratio: (hi + 0.05) / (lo + 0.05), size: parseFloat(style.fontSize)});
  }
  return out;
}
"""

FOCUS_JS = """
() => { const el = document.activeElement; const s = getComputedStyle(el);
  return {tag: el.tagName, id: el.id, cls: el.className, text: (el.textContent || '').trim().slice(0, 40),
          outline: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }
"""



def run_axe(page, axe_source: str) -> List[dict]:  # type: ignore[no-untyped-def]
    """Serious and critical WCAG 2.2 A/AA violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations",
        WCAG_TAGS,
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "targets": [n["target"] for n in v["nodes"]][:5]}
        for v in result if v["impact"] in ("serious", "critical")
    ]


def contrast_report(page) -> List[dict]:  # type: ignore[no-untyped-def]
    return page.evaluate(CONTRAST_JS)


def focused(page) -> dict:  # type: ignore[no-untyped-def]
    return page.evaluate(FOCUS_JS)


def bot_count(page, selector: str = ".msg.bot") -> int:  # type: ignore[no-untyped-def]
    return page.locator(selector).count()


def wait_for_more(page, selector: str, before: int, timeout: float = 20_000) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(
        "([sel, n]) => document.querySelectorAll(sel).length > n", arg=[selector, before], timeout=timeout
    )


def chat_send(page, text: str) -> str:  # type: ignore[no-untyped-def]
    """Type into the chat page's box, press Enter, return the first new reply's text."""
    before = bot_count(page)
    page.fill("#message", text)
    page.press("#message", "Enter")
    wait_for_more(page, ".msg.bot", before)
    return page.locator(".msg.bot").nth(before).locator("p.text").inner_text()


def scroll_overflow(page) -> int:  # type: ignore[no-untyped-def]
    """How many CSS pixels the page is wider than the window (0 = no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def silence_kiosk(page) -> None:  # type: ignore[no-untyped-def]
    """Stop the kiosk reading its reply aloud (as if it had finished), so idle tests need not
    wait through a slow elderly-rate reading."""
    page.wait_for_function("""() => document.body.dataset.voice === 'off' || document.body.dataset.speaking === 'false'
        || !document.getElementById('reply-audio').paused""", timeout=60_000)
    page.evaluate("document.getElementById('reply-audio').pause()")
    page.wait_for_function("() => document.body.dataset.speaking !== 'true'", timeout=10_000)

// A QR code as inline SVG built with DOM calls (no innerHTML, so the page's CSP stays strict),
// from the vendored qrcode-generator library (global `qrcode`, loaded by a classic script tag).
const SVG = "http://www.w3.org/2000/svg";

export function qrSvg(text, label) {
  if (typeof window.qrcode !== "function") throw new Error("qrcode library not loaded");
  const code = window.qrcode(0, "M"); // 0 = smallest version that fits; M = 15% error correction
  code.addData(text);
  code.make();
  const count = code.getModuleCount();
  const quiet = 4; // the quiet zone phones need to find the code
  const size = count + quiet * 2;
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  svg.setAttribute("shape-rendering", "crispEdges");
  svg.dataset.modules = String(count);
  svg.dataset.text = text;
  const background = document.createElementNS(SVG, "rect");
  background.setAttribute("width", String(size));
  background.setAttribute("height", String(size));
  background.setAttribute("fill", "#ffffff");
  svg.append(background);
  let d = "";
  for (let row = 0; row < count; row += 1) {
    for (let col = 0; col < count; col += 1) {
      if (code.isDark(row, col)) d += `M${col + quiet} ${row + quiet}h1v1h-1z`;
    }
  }
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", d);
  path.setAttribute("fill", "#000000");
  svg.append(path);
  return svg;
}

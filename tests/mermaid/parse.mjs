// Parse a Mermaid flowchart from stdin with Mermaid's own parser (no browser:
// jsdom stands in for the DOM that Mermaid's sanitizer asks for) and print
// what it read as JSON: {"type", "vertices": {id: label}, "edges": [[from, to, label, stroke]]}.
// Labels are decoded as Mermaid decodes them to draw: the parser keeps an entity
// code such as #60; as a placeholder, which stands for the character (here "<").
// Exit 1 with the parser's message on a syntax error.
import fs from "node:fs";
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!DOCTYPE html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;

const text = fs.readFileSync(0, "utf8");
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
function decode(text) {
  return String(text).replace(/\uFB02\u00B0\u00B0(\d+)\u00B6\u00DF/g, (_, n) => String.fromCodePoint(Number(n)));
}

try {
  await mermaid.parse(text);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const db = diagram.db;
  const vertices = {};
  for (const [id, v] of db.getVertices()) {
    vertices[id] = decode(v.text);
  }
  const edges = db.getEdges().map((e) => [e.start, e.end, decode(e.text), e.stroke]);
  console.log(JSON.stringify({ type: diagram.type, vertices, edges }));
} catch (err) {
  console.error(String(err && err.message ? err.message : err).split("\n").slice(0, 4).join(" "));
  process.exit(1);
}

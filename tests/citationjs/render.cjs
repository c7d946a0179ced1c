// Render every entry of a bibliography file (CSL-JSON .json, BibTeX .bib or RIS .ris) with citation-js in
// the CSL style file given, as plain text, one entry per paragraph.
// Usage: node render.cjs BIBLIOGRAPHY STYLE.csl
"use strict";
const fs = require("fs");
const { Cite, plugins } = require("@citation-js/core");
require("@citation-js/plugin-csl");
require("@citation-js/plugin-bibtex");
require("@citation-js/plugin-ris");

// citation-js reads BibTeX braces as case protection only when it sentence-cases titles; by
// default (sentenceCase "never") it drops them, and Chicago's title case then changes ids
plugins.config.get("@bibtex").parse.sentenceCase = "always";

const [bibliography, stylePath] = process.argv.slice(2);
const template = "claimtrack-test-style";
plugins.config.get("@csl").styles.add(template, fs.readFileSync(stylePath, "utf8"));
const text = fs.readFileSync(bibliography, "utf8");
const forceType = { ".bib": "@biblatex/text", ".ris": "@ris/file" }[bibliography.slice(-4)];
const cite = forceType ? new Cite(text, { forceType }) : new Cite(JSON.parse(text));
const entries = cite.format("bibliography", { format: "text", template, lang: "en-US", asEntryArray: true });
process.stdout.write(entries.map(([, entry]) => entry.trim()).join("\n\n") + "\n");

// Prints the text of the PDF at argv[2], page by page, as PDF.js extracts
// it. A separate process: PDF.js is an ES module that Jest's CommonJS
// runtime cannot import.
import { readFile } from 'node:fs/promises';
import { extractText, getDocumentProxy } from 'unpdf';

const pdf = await getDocumentProxy(
  new Uint8Array(await readFile(process.argv[2])),
);
const { text } = await extractText(pdf, { mergePages: false });
process.stdout.write(JSON.stringify(text));

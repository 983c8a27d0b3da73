/**
 * A backend module of Post-Mortems for Backstage that lays post-mortems out
 * as PDF files.
 *
 * @packageDocumentation
 */
export { postmortemsModulePdf as default } from './module';
export { renderPdf } from './pdfDocument';

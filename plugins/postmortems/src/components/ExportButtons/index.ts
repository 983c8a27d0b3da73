export { ExportButtons } from './ExportButtons';

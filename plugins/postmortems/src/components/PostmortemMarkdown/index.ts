export { PostmortemMarkdown } from './PostmortemMarkdown';

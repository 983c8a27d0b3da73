export { PostmortemFigures } from './PostmortemFigures';

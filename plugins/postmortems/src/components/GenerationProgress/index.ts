export { GenerationProgress } from './GenerationProgress';

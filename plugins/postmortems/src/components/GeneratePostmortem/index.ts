export { GeneratePostmortem } from './GeneratePostmortem';

export { PostmortemCauses } from './PostmortemCauses';
export {
  causeLabel,
  causeWords,
  joinWords,
  timeBeforeInWords,
} from './causeWords';

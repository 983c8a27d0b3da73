export { EntityRefOrText } from './EntityRefOrText';

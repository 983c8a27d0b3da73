export { OrgPostmortemList } from './OrgPostmortemList';

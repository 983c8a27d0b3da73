export {
  IncidentsAwaitingPostmortem,
  useIncidentsAwaitingPostmortem,
} from './IncidentsAwaitingPostmortem';
export { NoPostmortemsYet } from './NoPostmortemsYet';

export {
  IncidentsAwaitingPostmortem,
  useIncidentsAwaitingPostmortem,
} from './IncidentsAwaitingPostmortem';

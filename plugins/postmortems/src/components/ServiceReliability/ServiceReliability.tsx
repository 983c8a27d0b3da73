import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  Box,
  Grid,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { BreakdownRow, meanTime } from '../../domain/figures';
import {
  RELIABILITY_MONTHS,
  ServiceReliability as Reliability,
  useServiceReliability,
} from '../../hooks/useServiceReliability';
import { secondaryText } from '../accessibility';
import { causeLabel } from '../PostmortemCauses';
import { BarChart } from '../PostmortemFigures/BarChart';

const useStyles = makeStyles(theme => ({
  subtle: { color: secondaryText(theme) },
  heading: {
    marginBottom: theme.spacing(0.5),
    fontWeight: 700,
  },
  section: { marginBottom: theme.spacing(2) },
}));

const PERIOD = `the last ${RELIABILITY_MONTHS} months`;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A cause row's label: `code-change` reads "Code change", none "Not filed". */
const causeOf = (row: BreakdownRow) =>
  row.key === null ? row.label : causeLabel(row.key);

/** Recurrences, with how long after the earlier items were done: `1 (after 40d)`. */
const recurrences = (row: BreakdownRow) =>
  row.recurrences
    ? `${row.recurrences} (after ${meanTime(row.recurrenceAfterMs)})`
    : '0';

const Heading = ({ children }: { children: string }) => {
  const classes = useStyles();
  return (
    <Typography variant="subtitle2" component="h3" className={classes.heading}>
      {children}
    </Typography>
  );
};

const ActionItemCounts = ({ value }: { value: Reliability }) => (
  <Box>
    <Heading>Action items</Heading>
    <Typography variant="body2">
      {value.openActionItems} open, {value.overdueActionItems} overdue
    </Typography>
  </Box>
);

const CausesTable = ({
  rows,
  name,
}: {
  rows: BreakdownRow[];
  name: string;
}) => (
  <Table size="small" aria-label={`Causes of ${name}`}>
    <TableHead>
      <TableRow>
        <TableCell>Cause</TableCell>
        <TableCell align="right">Incidents</TableCell>
        <TableCell align="right">Recurrences</TableCell>
      </TableRow>
    </TableHead>
    <TableBody>
      {rows.map(row => (
        <TableRow key={row.key ?? ''}>
          <TableCell component="th" scope="row" role="rowheader">
            {causeOf(row)}
          </TableCell>
          <TableCell align="right">{row.incidents}</TableCell>
          <TableCell align="right">{recurrences(row)}</TableCell>
        </TableRow>
      ))}
    </TableBody>
  </Table>
);

const Story = ({ value, name }: { value: Reliability; name: string }) => {
  const classes = useStyles();
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={7}>
        <Typography variant="body2" className={classes.section}>
          {plural(value.incidents, 'incident')} · mean time to resolve{' '}
          {meanTime(value.mttrMs)}
        </Typography>
        <Box className={classes.section}>
          <Heading>Incidents per month</Heading>
          <BarChart
            title="Incidents per month"
            bars={value.months.map(row => ({
              label: row.label,
              value: row.incidents,
            }))}
            unit="incidents"
            height={150}
            barSpace={56}
          />
        </Box>
        <Box>
          <Heading>Mean time to resolve per month</Heading>
          <BarChart
            title="Mean time to resolve per month"
            bars={value.months.map(row => ({
              label: row.label,
              value: row.mttrMs ?? 0,
              text: meanTime(row.mttrMs),
            }))}
            format={meanTime}
            height={150}
            barSpace={56}
          />
        </Box>
      </Grid>
      <Grid item xs={12} md={5}>
        <Box className={classes.section}>
          <ActionItemCounts value={value} />
        </Box>
        <Heading>Causes</Heading>
        <CausesTable rows={value.causes} name={name} />
        <Typography variant="caption" component="p" className={classes.subtle}>
          Recurrences: incidents whose cause came back after an earlier
          post-mortem&apos;s action items were all done, with the mean time
          after.
        </Typography>
      </Grid>
    </Grid>
  );
};

/**
 * A service's reliability over the last twelve months: its incidents and
 * mean time to resolve per month, its incidents by cause with their
 * recurrences, and how many of its action items are open and overdue.
 */
export const ServiceReliability = ({ entity }: { entity: Entity }) => {
  const classes = useStyles();
  const name = entity.metadata.title ?? entity.metadata.name;
  const state = useServiceReliability(stringifyEntityRef(entity));

  let body;
  if (state.loading) {
    body = <Progress />;
  } else if (state.error) {
    body = <ResponseErrorPanel error={state.error} />;
  } else if (state.value && state.value.incidents === 0) {
    body = (
      <>
        <Typography variant="body2" className={classes.section}>
          No incidents in {PERIOD}
        </Typography>
        <ActionItemCounts value={state.value} />
      </>
    );
  } else if (state.value) {
    body = <Story value={state.value} name={name} />;
  }

  return (
    <InfoCard title="Reliability" subheader={`Over ${PERIOD}`}>
      {body}
    </InfoCard>
  );
};

import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  Box,
  makeStyles,
  Tab,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Tabs,
  Typography,
} from '@material-ui/core';
import type { FiguresBreakdownBy } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { useState } from 'react';
import { BreakdownRow, meanTime } from '../../domain/figures';
import { useFiguresBreakdown } from '../../hooks/useFigures';
import { secondaryText } from '../accessibility';
import { BarChart } from './BarChart';

const useStyles = makeStyles(theme => ({
  subtle: { color: secondaryText(theme) },
  table: {
    marginTop: theme.spacing(2),
    '&:focus-visible': { outline: `2px solid ${theme.palette.primary.main}` },
  },
}));

const VIEWS: Array<{
  by: FiguresBreakdownBy;
  tab: string;
  column: string;
}> = [
  { by: 'service', tab: 'By service', column: 'Service' },
  { by: 'team', tab: 'By team', column: 'Team' },
  { by: 'month', tab: 'By month', column: 'Month' },
  { by: 'cause', tab: 'By cause', column: 'Cause' },
];

/** At most this many services or teams are drawn; the table has them all. */
const MAX_BARS = 12;

/** Recurrences, with how long after the earlier items were done: `2 (after 40 days)`. */
const recurrences = (row: BreakdownRow) =>
  row.recurrences
    ? `${row.recurrences} (after ${meanTime(row.recurrenceAfterMs)})`
    : '0';

/** Done out of all the items, with the share: `3 / 4 (75%)`. */
const completion = (row: BreakdownRow) =>
  row.actionItemsTotal
    ? `${row.actionItemsDone} / ${row.actionItemsTotal} (${row.actionItemsDonePct}%)`
    : '—';

const BreakdownChart = ({
  by,
  rows,
}: {
  by: FiguresBreakdownBy;
  rows: BreakdownRow[];
}) => {
  if (by === 'month') {
    return (
      <BarChart
        title="Mean time to resolve per month"
        bars={rows.map(row => ({
          label: row.label,
          value: row.mttrMs ?? 0,
          text: meanTime(row.mttrMs),
        }))}
        format={meanTime}
        barSpace={64}
      />
    );
  }
  const drawn = rows.slice(0, MAX_BARS);
  const what = by;
  return (
    <BarChart
      title={
        rows.length > drawn.length
          ? `Incidents per ${what}, the ${drawn.length} with the most`
          : `Incidents per ${what}`
      }
      bars={drawn.map(row => ({ label: row.label, value: row.incidents }))}
      unit="incidents"
      // Names are longer than dates: room for about 16 characters each.
      barSpace={96}
    />
  );
};

const BreakdownTable = ({
  view,
  rows,
}: {
  view: (typeof VIEWS)[number];
  rows: BreakdownRow[];
}) => {
  const classes = useStyles();
  const name = `Figures ${view.tab.toLocaleLowerCase()}`;
  return (
    // Focusable, so that a table wider than the screen scrolls by keyboard.
    <TableContainer
      className={classes.table}
      tabIndex={0}
      role="region"
      aria-label={name}
    >
      <Table size="small" aria-label={name}>
        <TableHead>
          <TableRow>
            <TableCell>{view.column}</TableCell>
            <TableCell align="right">Incidents</TableCell>
            <TableCell align="right">MTTA</TableCell>
            <TableCell align="right">MTTD</TableCell>
            <TableCell align="right">MTTR</TableCell>
            <TableCell align="right">Published</TableCell>
            <TableCell align="right">Action items done</TableCell>
            <TableCell align="right">Recurrences</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map(row => (
            <TableRow key={row.key ?? ''}>
              <TableCell component="th" scope="row" role="rowheader">
                {row.label}
              </TableCell>
              <TableCell align="right">{row.incidents}</TableCell>
              <TableCell align="right">{meanTime(row.mttaMs)}</TableCell>
              <TableCell align="right">{meanTime(row.mttdMs)}</TableCell>
              <TableCell align="right">{meanTime(row.mttrMs)}</TableCell>
              <TableCell align="right">{row.published}</TableCell>
              <TableCell align="right">{completion(row)}</TableCell>
              <TableCell align="right">{recurrences(row)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
};

/**
 * The period's figures by service, by owning team or by month, as the
 * backend groups them: a chart and a table of the mean times and the action
 * items done.
 */
export const FiguresBreakdown = ({ days }: { days: number }) => {
  const classes = useStyles();
  const [by, setBy] = useState<FiguresBreakdownBy>('service');
  const state = useFiguresBreakdown(days, by);
  const view = VIEWS.find(v => v.by === by)!;

  let content;
  if (state.loading) {
    content = <Progress />;
  } else if (state.error) {
    content = <ResponseErrorPanel error={state.error} />;
  } else if (state.value && state.value.every(row => row.incidents === 0)) {
    content = (
      <Typography variant="body2" className={classes.subtle}>
        No incidents in the period.
      </Typography>
    );
  } else if (state.value) {
    content = (
      <>
        <BreakdownChart by={by} rows={state.value} />
        <BreakdownTable view={view} rows={state.value} />
      </>
    );
  }

  return (
    <InfoCard title="By service, team and month">
      <Tabs
        value={by}
        onChange={(_, value: FiguresBreakdownBy) => setBy(value)}
        aria-label="Group the figures"
        indicatorColor="primary"
        textColor="primary"
      >
        {VIEWS.map(v => (
          <Tab
            key={v.by}
            value={v.by}
            label={v.tab}
            id={`figures-tab-${v.by}`}
            aria-controls="figures-breakdown"
          />
        ))}
      </Tabs>
      <Box
        id="figures-breakdown"
        role="tabpanel"
        aria-labelledby={`figures-tab-${by}`}
        pt={2}
      >
        {content}
      </Box>
    </InfoCard>
  );
};

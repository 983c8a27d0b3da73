import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  Box,
  Grid,
  makeStyles,
  MenuItem,
  TextField,
  Typography,
  useTheme,
} from '@material-ui/core';
import { useState } from 'react';
import { meanTime } from '../../domain/figures';
import { useFigures } from '../../hooks/useFigures';
import { secondaryText } from '../accessibility';
import { BarChart } from './BarChart';
import { FiguresBreakdown } from './FiguresBreakdown';

const useStyles = makeStyles(theme => ({
  // Tiles and the period label sit on the page background, where the theme's
  // grey text is just under 4.5:1.
  subtle: { color: secondaryText(theme) },
  label: {
    '&:not(.Mui-focused):not(.Mui-error)': { color: secondaryText(theme) },
  },
  value: {
    fontSize: '2rem',
    fontWeight: 500,
    lineHeight: 1.2,
  },
  stat: {
    padding: theme.spacing(2),
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    height: '100%',
  },
  stack: {
    display: 'flex',
    height: 24,
    borderRadius: theme.shape.borderRadius,
    overflow: 'hidden',
    backgroundColor: theme.palette.action.hover,
    margin: theme.spacing(1, 0),
  },
}));

const Stat = ({
  label,
  value,
  hint,
}: {
  label: string;
  value: string | number;
  hint?: string;
}) => {
  const classes = useStyles();
  return (
    <Box className={classes.stat} role="group" aria-label={label}>
      <Typography variant="body2" className={classes.subtle}>
        {label}
      </Typography>
      <Typography className={classes.value}>{value}</Typography>
      {hint && (
        <Typography variant="caption" className={classes.subtle}>
          {hint}
        </Typography>
      )}
    </Box>
  );
};

/**
 * Figures over a period: incidents, mean times to detect, acknowledge and
 * resolve, post-mortems published and action items done versus open, as numbers and as charts,
 * then the same by service, team and month.
 */
export const PostmortemFigures = () => {
  const classes = useStyles();
  const theme = useTheme();
  const [days, setDays] = useState(90);
  const state = useFigures(days);
  const figures = state.value?.figures;

  let body;
  if (state.loading) {
    body = <Progress />;
  } else if (state.error) {
    body = <ResponseErrorPanel error={state.error} />;
  } else if (figures) {
    const itemsTotal = figures.actionItemsDone + figures.actionItemsOpen;
    const donePct = itemsTotal
      ? (figures.actionItemsDone / itemsTotal) * 100
      : 0;
    body = (
      <Grid container spacing={3}>
        <Grid item xs={6} md={3}>
          <Stat label="Incidents" value={figures.incidents} />
        </Grid>
        <Grid item xs={6} md={3}>
          <Stat
            label="Mean time to resolve"
            value={meanTime(figures.mttrMs)}
            hint={`over ${figures.resolved} resolved incidents; canceled ones excluded`}
          />
        </Grid>
        <Grid item xs={6} md={3}>
          <Stat
            label="Mean time to detect"
            value={meanTime(figures.mttdMs)}
            hint="trigger to the moment marked detected in the timeline"
          />
        </Grid>
        <Grid item xs={6} md={3}>
          <Stat
            label="Mean time to acknowledge"
            value={meanTime(figures.mttaMs)}
            hint="trigger to acknowledgement"
          />
        </Grid>
        <Grid item xs={6} md={3}>
          <Stat label="Post-mortems published" value={figures.published} />
        </Grid>
        <Grid item xs={6} md={3}>
          <Stat
            label="Action items done"
            value={`${figures.actionItemsDone} / ${itemsTotal}`}
            hint={`${figures.actionItemsOpen} still open`}
          />
        </Grid>
        <Grid item xs={12} md={8}>
          <InfoCard title="Incidents over time">
            <BarChart
              title="Incidents per period"
              bars={figures.buckets.map(b => ({
                label: b.label,
                value: b.count,
              }))}
              unit="incidents"
            />
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={4}>
          <InfoCard title="By severity">
            <BarChart
              title="Incidents by severity"
              bars={[
                {
                  label: 'Critical',
                  value: figures.bySeverity.critical,
                  color: theme.palette.error.main,
                },
                {
                  label: 'High',
                  value: figures.bySeverity.high,
                  color: theme.palette.warning.main,
                },
                {
                  label: 'Medium',
                  value: figures.bySeverity.medium,
                  color: theme.palette.info.main,
                },
                {
                  label: 'Low',
                  value: figures.bySeverity.low,
                  color: theme.palette.grey[500],
                },
              ]}
            />
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <InfoCard title="Action items created in the period">
            <Box
              className={classes.stack}
              role="img"
              aria-label={`${figures.actionItemsDone} done, ${figures.actionItemsOpen} open`}
            >
              <Box
                style={{
                  width: `${donePct}%`,
                  backgroundColor: theme.palette.success.main,
                }}
              />
              <Box
                style={{
                  width: `${itemsTotal ? 100 - donePct : 0}%`,
                  backgroundColor: theme.palette.warning.main,
                }}
              />
            </Box>
            <Typography variant="body2">
              {figures.actionItemsDone} done · {figures.actionItemsOpen} open
            </Typography>
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <FiguresBreakdown days={days} />
        </Grid>
      </Grid>
    );
  }

  return (
    <>
      <Box mb={2}>
        <TextField
          select
          size="small"
          variant="outlined"
          label="Period"
          id="figures-period"
          InputLabelProps={{ className: classes.label }}
          value={days}
          onChange={e => setDays(Number(e.target.value))}
          style={{ minWidth: 180 }}
        >
          <MenuItem value={30}>Last 30 days</MenuItem>
          <MenuItem value={90}>Last 90 days</MenuItem>
          <MenuItem value={365}>Last 365 days</MenuItem>
        </TextField>
      </Box>
      {body}
    </>
  );
};

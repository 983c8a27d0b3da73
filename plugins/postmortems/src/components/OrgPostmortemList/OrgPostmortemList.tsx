import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { Box, MenuItem, TextField } from '@material-ui/core';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { incidentRouteRef } from '../../routes';
import { usePostmortemRows } from '../../hooks/usePostmortemRows';
import {
  IncidentsAwaitingPostmortem,
  NoPostmortemsYet,
} from '../IncidentsAwaitingPostmortem';
import {
  PostmortemFilters,
  PostmortemFilterValues,
} from '../PostmortemFilters';
import { PostmortemTable } from '../PostmortemTable';

const PAGE_SIZE = 25;
const DAY = 24 * 60 * 60 * 1000;
const ENTITY_REF = /^[a-z0-9_-]+:([a-z0-9_.-]+\/)?[a-z0-9_.-]+$/i;

/** The catalog's components, for the service filter. */
function useServiceOptions() {
  const catalogApi = useApi(catalogApiRef);
  return useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'Component' },
      fields: ['kind', 'metadata.name', 'metadata.namespace', 'metadata.title'],
    });
    return items
      .map(entity => ({
        ref: stringifyEntityRef(entity),
        label: entity.metadata.title ?? entity.metadata.name,
      }))
      .sort((a, b) => a.label.localeCompare(b.label));
  }, [catalogApi]);
}

/**
 * Every post-mortem in the organization, newest incident first, filtered by
 * service, status, severity and (on the loaded page) incident date.
 */
export const OrgPostmortemList = () => {
  const incidentRoute = useRouteRef(incidentRouteRef);
  const services = useServiceOptions();
  const [filters, setFilters] = useState<PostmortemFilterValues>({
    status: '',
    severity: '',
  });
  const [service, setService] = useState<string>('');
  const [sinceDays, setSinceDays] = useState<number>(0);
  const [page, setPage] = useState(1);
  const rows = usePostmortemRows({
    entityRef: ENTITY_REF.test(service) ? service : undefined,
    status: filters.status ? [filters.status] : undefined,
    severity: filters.severity ? [filters.severity] : undefined,
    page,
    limit: PAGE_SIZE,
  });

  // The list route has no date filter yet; this narrows the loaded page.
  const visible = useMemo(() => {
    const all = rows.value?.rows ?? [];
    if (!sinceDays) return all;
    const since = Date.now() - sinceDays * DAY;
    return all.filter(
      r => r.incident && Date.parse(r.incident.triggered_at) >= since,
    );
  }, [rows.value, sinceDays]);

  const options = services.value ?? [];
  const serviceInvalid = Boolean(service) && !ENTITY_REF.test(service);
  const selected = options.find(o => o.ref === service) ?? null;
  const anyFilter = Boolean(
    filters.status || filters.severity || service || sinceDays,
  );

  let body;
  if (rows.loading && !rows.value) {
    body = <Progress />;
  } else if (rows.error) {
    body = <ResponseErrorPanel error={rows.error} />;
  } else if (!rows.value?.rows.length && !anyFilter) {
    body = <NoPostmortemsYet />;
  } else {
    body = (
      <PostmortemTable
        rows={visible}
        linkTo={incidentId => incidentRoute({ incidentId })}
        showServices
        total={sinceDays ? undefined : rows.value?.total}
        page={page}
        limit={PAGE_SIZE}
        onPageChange={setPage}
        emptyContent={<Box p={2}>No post-mortems match these filters.</Box>}
      />
    );
  }

  return (
    <>
      <PostmortemFilters
        value={filters}
        onChange={value => {
          setFilters(value);
          setPage(1);
        }}
      >
        <Autocomplete
          id="postmortem-filter-service"
          freeSolo
          size="small"
          options={options}
          value={selected}
          getOptionLabel={option =>
            typeof option === 'string' ? option : option.label
          }
          onChange={(_e, option) => {
            setService(
              typeof option === 'string' ? option.trim() : option?.ref ?? '',
            );
            setPage(1);
          }}
          renderInput={params => (
            <TextField
              {...params}
              label="Service"
              variant="outlined"
              placeholder="component:default/checkout-api"
              error={serviceInvalid}
              helperText={
                serviceInvalid
                  ? 'Pick a service or type an entity ref'
                  : undefined
              }
            />
          )}
          style={{ minWidth: 260 }}
        />
        <TextField
          select
          size="small"
          variant="outlined"
          label="Incident date"
          id="postmortem-filter-date"
          value={sinceDays}
          onChange={e => setSinceDays(Number(e.target.value))}
          style={{ minWidth: 160 }}
        >
          <MenuItem value={0}>Any time</MenuItem>
          <MenuItem value={30}>Last 30 days</MenuItem>
          <MenuItem value={90}>Last 90 days</MenuItem>
          <MenuItem value={365}>Last year</MenuItem>
        </TextField>
      </PostmortemFilters>
      {body}
      <Box mt={3}>
        <IncidentsAwaitingPostmortem
          linkTo={incidentId => incidentRoute({ incidentId })}
          limit={10}
        />
      </Box>
    </>
  );
};

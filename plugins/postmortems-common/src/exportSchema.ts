/**
 * JSON Schema (draft 2020-12) of the documented JSON export: the body of
 * `GET /api/postmortems/v1/incidents/:id/postmortem`. Tools that archive or
 * transform post-mortems can validate against it.
 *
 * @public
 */
export const postmortemExportJsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://postmortems-oss.dev/schemas/postmortem-export.json',
  title: 'Post-mortem',
  type: 'object',
  required: [
    'id',
    'incident_id',
    'status',
    'content',
    'sections',
    'version',
    'generated_by',
    'created_at',
    'updated_at',
    'action_items',
  ],
  properties: {
    id: { type: 'string' },
    incident_id: { type: 'string' },
    status: { enum: ['draft', 'published'] },
    content: { type: 'string', description: 'The whole document as Markdown' },
    sections: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'title', 'markdown'],
        properties: {
          key: { type: 'string' },
          title: { type: 'string' },
          markdown: { type: 'string' },
        },
      },
    },
    template_id: { type: ['string', 'null'] },
    template_name: { type: ['string', 'null'] },
    generated_by: { type: 'string' },
    generated_at: { type: ['string', 'null'], format: 'date-time' },
    version: { type: 'integer', minimum: 1 },
    published_at: { type: ['string', 'null'], format: 'date-time' },
    published_by: { type: ['string', 'null'] },
    created_by: { type: ['string', 'null'] },
    updated_by: { type: ['string', 'null'] },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
    action_items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'description', 'status'],
        properties: {
          id: { type: 'string' },
          postmortem_id: { type: 'string' },
          incident_id: { type: 'string' },
          description: { type: 'string' },
          title: { type: 'string' },
          owner: { type: ['string', 'null'] },
          due_date: { type: ['string', 'null'], format: 'date' },
          status: { enum: ['open', 'in_progress', 'done'] },
          category: { type: ['string', 'null'] },
          external_url: { type: ['string', 'null'] },
          tracker: { type: ['string', 'null'] },
          external_key: { type: ['string', 'null'] },
          source: { type: 'string' },
          accepted: { type: 'boolean' },
          created_by: { type: ['string', 'null'] },
          created_at: { type: 'string', format: 'date-time' },
          updated_at: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
} as const;

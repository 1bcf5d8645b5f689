import { capabilitiesFor, capUnionParameters, compileSchema } from './dist/bridge/entries/converse.js';
const C = capabilitiesFor('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
const mk = (i) => ({ type: 'object', properties: { id: { type: 'string' }, filter: { type: 'object', properties: { field: { type: 'string' }, value: { type: ['string', 'null'] } } }, limit: { anyOf: [{ type: 'integer' }, { type: 'null' }] }, page_token: { type: 'string' } }, required: ['id'] });
const tools = Array.from({ length: 250 }, (_, i) => ({ toolSpec: { name: 't' + i, description: 'd', inputSchema: { json: mk(i) } } }));
const t = performance.now(); capUnionParameters(tools, C); console.log('cold', (performance.now() - t).toFixed(1));

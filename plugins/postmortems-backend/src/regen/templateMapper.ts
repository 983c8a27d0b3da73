import { PostmortemTemplate } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { TemplateInput } from '../services/TemplateService';

/*
 * Templates as Regen answers them (`PostMortemTemplateResponse`): a name, a
 * description and the section headings as strings. Our sections also carry
 * a key, whether they are required and guiding questions; Regen's clients
 * neither see nor send those, so an update by headings keeps them for every
 * heading that stays.
 */

export interface RegenTemplate {
  id: string;
  name: string;
  description: string;
  sections: string[];
  is_built_in: boolean;
  created_at: string;
  updated_at: string;
}

export function toRegenTemplate(template: PostmortemTemplate): RegenTemplate {
  return {
    id: template.id,
    name: template.name,
    description: template.description,
    sections: template.sections.map(section => section.title),
    is_built_in: template.is_builtin,
    created_at: template.created_at,
    updated_at: template.updated_at,
  };
}

/** Headings as template sections, reusing the current section of each heading kept. */
export function sectionsFromHeadings(
  headings: string[],
  current: PostmortemTemplate['sections'] = [],
): TemplateInput['sections'] {
  return headings.map(heading => {
    const title = heading.trim();
    const kept = current.find(
      section => section.title.toLowerCase() === title.toLowerCase(),
    );
    return kept
      ? { ...kept, title }
      : { title, required: false, guiding_questions: [] };
  });
}

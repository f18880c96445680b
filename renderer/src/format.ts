/** How every screen writes dates and times (the computer's locale and time zone). */
export const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
export const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

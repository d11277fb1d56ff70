import { useId, useState } from 'react';
import type { EmailAddress } from '../api/types.js';
import { formatAddress } from '../logic/addresses.js';
import { completeRecipient, currentEntry, suggestContacts } from '../logic/contacts.js';

interface Props {
  label: string;
  name: string;
  value: string;
  contacts: readonly EmailAddress[];
  autoFocus?: boolean;
  onChange: (value: string) => void;
}

/** A recipients field (comma-separated) with suggestions for the entry being typed, from past correspondents. */
export function RecipientField({ label, name, value, contacts, autoFocus, onChange }: Props) {
  const id = useId();
  const [active, setActive] = useState(-1);
  const [focused, setFocused] = useState(false);
  const suggestions = focused ? suggestContacts(contacts, currentEntry(value)) : [];
  const choose = (contact: EmailAddress) => {
    onChange(completeRecipient(value, contact));
    setActive(-1);
  };
  return (
    <div className="field recipient-field">
      <label htmlFor={id}>{label}</label>
      <div className="combo">
        <input
          id={id}
          name={name}
          type="text"
          value={value}
          autoFocus={autoFocus}
          autoComplete="off"
          spellCheck={false}
          role="combobox"
          aria-expanded={suggestions.length > 0}
          aria-controls={`${id}-list`}
          aria-autocomplete="list"
          aria-activedescendant={active >= 0 ? `${id}-${active}` : undefined}
          onFocus={() => setFocused(true)}
          onBlur={() => setTimeout(() => setFocused(false), 150)}
          onChange={(event) => {
            onChange(event.target.value);
            setActive(-1);
          }}
          onKeyDown={(event) => {
            if (suggestions.length === 0) return;
            if (event.key === 'ArrowDown') {
              event.preventDefault();
              setActive((active + 1) % suggestions.length);
            } else if (event.key === 'ArrowUp') {
              event.preventDefault();
              setActive((active - 1 + suggestions.length) % suggestions.length);
            } else if ((event.key === 'Enter' || event.key === 'Tab') && active >= 0) {
              event.preventDefault();
              choose(suggestions[active]);
            } else if (event.key === 'Escape') {
              event.stopPropagation();
              setFocused(false);
            }
          }}
        />
        {suggestions.length > 0 && (
          <ul className="suggestions" id={`${id}-list`} role="listbox">
            {suggestions.map((contact, index) => (
              <li
                key={contact.address}
                id={`${id}-${index}`}
                role="option"
                aria-selected={index === active}
                onMouseDown={(event) => {
                  event.preventDefault();
                  choose(contact);
                }}
              >
                {formatAddress(contact)}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

// Shows each time in the reader's own time zone. The UTC time stays in datetime="" for machines, in the tooltip,
// and on screen when scripts are off.
for (const t of document.querySelectorAll('time.dt-published, time.dt-updated')) {
  const d = new Date(t.getAttribute('datetime') ?? '')
  if (Number.isNaN(d.getTime())) continue
  t.title = t.textContent ?? ""
  t.textContent = d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
  t.classList.add('local')
}

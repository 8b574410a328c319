// The sandbox chat page: chat with the bot as several people at once. Everything goes through the
// sandbox's driver API (/driver/...), the same one the tests use, so the page shows exactly what a
// test would see. Plain browser JavaScript: no build step, nothing loaded from elsewhere.
'use strict';

const page = {
  bot: null,
  personas: [], // from the sandbox, then the ones added on this page
  places: [],
  utcOffsetMinutes: 0, // the bot's TIME_ZONE
  adminIds: [], // the bot's ADMIN_IDS
  activeId: null,
  chats: new Map(), // persona id -> the driver's chat view
  seenUpTo: new Map(), // persona id -> the last bot message id the person has looked at
  watch: null, // AbortController of the running long poll
};

const ADDED_PERSONAS_KEY = 'lastcall.sandbox.added-personas';
const ACTIVE_PERSONA_KEY = 'lastcall.sandbox.active-persona';
const WATCH_SECONDS = 25;
const ANSWER_WAIT_MS = 15000;

const $ = (id) => document.getElementById(id);

// ---- Talking to the sandbox

async function driver(path, options = {}) {
  const response = await fetch(path, options);
  let body = null;
  try {
    body = await response.json();
  } catch (_) {
    // A body that is not JSON is reported by its status below.
  }
  if (!response.ok || !body || body.ok === false) {
    const reason = body && body.error ? body.error : `${response.status} ${response.statusText}`;
    throw new Error(reason);
  }
  return body;
}

function post(path, body) {
  return driver(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

function activePersona() {
  return page.personas.find((p) => p.id === page.activeId) || null;
}

// The profile fields travel with every action, so the bot sees the person's name and language.
function actingAs(persona) {
  return { user_id: persona.id, first_name: persona.first_name, language_code: persona.language_code || 'en' };
}

async function refreshChat(personaId) {
  const chat = await driver(`/driver/chat/${personaId}`);
  const before = page.chats.get(personaId);
  page.chats.set(personaId, chat);
  if (!page.seenUpTo.has(personaId)) page.seenUpTo.set(personaId, lastBotMessageId(chat));
  if (personaId === page.activeId) {
    page.seenUpTo.set(personaId, lastBotMessageId(chat));
    renderChat(before);
  }
  renderPersonas();
}

function lastBotMessageId(chat) {
  let last = 0;
  for (const m of chat.messages) if (m.from_bot) last = Math.max(last, m.message_id);
  return last;
}

function unreadCount(personaId) {
  const chat = page.chats.get(personaId);
  if (!chat || personaId === page.activeId) return 0;
  const seen = page.seenUpTo.get(personaId) || 0;
  return chat.messages.filter((m) => m.from_bot && m.message_id > seen).length;
}

// One long poll at a time covers every person: it returns when any of their chats changes.
async function watchLoop() {
  for (;;) {
    const controller = new AbortController();
    page.watch = controller;
    const known = page.personas
      .map((p) => `${p.id}:${page.chats.has(p.id) ? page.chats.get(p.id).revision : 0}`)
      .join(',');
    try {
      const answer = await driver(`/driver/watch?chats=${known}&wait=${WATCH_SECONDS}`, {
        signal: controller.signal,
      });
      for (const [id, revision] of Object.entries(answer.revisions)) {
        const chat = page.chats.get(Number(id));
        if (!chat || chat.revision !== revision) await refreshChat(Number(id));
      }
    } catch (error) {
      if (controller.signal.aborted) continue; // restarted on purpose
      await sleep(1500); // the sandbox is restarting or gone: try again shortly
    }
  }
}

function restartWatch() {
  if (page.watch) page.watch.abort();
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---- Acting as the active person

async function act(action) {
  const persona = activePersona();
  if (!persona) return;
  try {
    await action(persona);
    await refreshChat(persona.id);
  } catch (error) {
    showToast(`The sandbox refused: ${error.message}`);
  }
}

function sendText(text) {
  return act((p) => post('/driver/send', { ...actingAs(p), text }));
}

function sendLocation(latitude, longitude) {
  return act((p) => post('/driver/location', { ...actingAs(p), latitude, longitude }));
}

function sendContact(phone) {
  return act((p) =>
    post('/driver/contact', { ...actingAs(p), phone_number: phone, contact_first_name: p.first_name }),
  );
}

function sendPhoto(file, caption) {
  return act((p) => {
    const query = new URLSearchParams({ ...actingAs(p), caption });
    return driver(`/driver/photo?${query}`, {
      method: 'POST',
      headers: { 'Content-Type': file.type },
      body: file,
    });
  });
}

// Tapping an inline button sends the callback query; the bot's answer is a popup (an alert when
// it asked for one), as in Telegram.
async function tap(button, messageId, data) {
  const persona = activePersona();
  if (!persona || button.classList.contains('pending')) return;
  button.classList.add('pending');
  try {
    const tapped = await post('/driver/tap', { ...actingAs(persona), message_id: messageId, data });
    const answer = await waitForAnswer(tapped.callback_query_id);
    if (answer && answer.text) {
      if (answer.show_alert) showAlert(answer.text);
      else showToast(answer.text);
    }
  } catch (error) {
    showToast(`The sandbox refused: ${error.message}`);
  } finally {
    button.classList.remove('pending');
  }
}

async function waitForAnswer(queryId) {
  const deadline = Date.now() + ANSWER_WAIT_MS;
  while (Date.now() < deadline) {
    const answer = await driver(`/driver/answer/${encodeURIComponent(queryId)}`);
    if (answer.answered) return answer;
    await sleep(150);
  }
  return null;
}

// A t.me link to this bot with ?start= is what a deep link is: in Telegram it opens the chat and
// sends /start with the payload.
function openUrl(url) {
  const botName = page.bot ? page.bot.username : '';
  const match = /^https?:\/\/t\.me\/([A-Za-z0-9_]+)\?start=([A-Za-z0-9_-]+)$/.exec(url);
  if (match && match[1].toLowerCase() === botName.toLowerCase()) {
    sendText(`/start ${match[2]}`);
    return;
  }
  window.open(url, '_blank', 'noopener');
}

// ---- Drawing

function initials(name) {
  return (name || '?').trim().charAt(0).toUpperCase() || '?';
}

const AVATAR_COLOURS = ['#e17076', '#7bc862', '#65aadd', '#a695e7', '#ee7aae', '#6ec9cb', '#faa774'];

function avatarColour(id) {
  return AVATAR_COLOURS[Math.abs(Number(id)) % AVATAR_COLOURS.length];
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function renderPersonas() {
  const list = $('persona-list');
  list.replaceChildren();
  for (const persona of page.personas) {
    const item = element('li');
    const button = element('button', 'persona');
    button.type = 'button';
    button.dataset.personaId = persona.id;
    if (persona.id === page.activeId) {
      button.classList.add('active');
      button.setAttribute('aria-current', 'true');
    }
    const avatar = element('span', 'avatar', initials(persona.first_name));
    avatar.style.background = avatarColour(persona.id);
    const text = element('span', 'persona-text');
    text.append(element('div', 'persona-name', persona.first_name));
    text.append(element('div', 'persona-role', `${persona.role} · id ${persona.id}`));
    button.append(avatar, text);
    const unread = unreadCount(persona.id);
    if (unread > 0) {
      const badge = element('span', 'badge', String(unread));
      badge.setAttribute('aria-label', `${unread} unread`);
      button.append(badge);
    }
    button.addEventListener('click', () => choosePersona(persona.id));
    item.append(button);
    list.append(item);
  }
}

// On the bot's clock (its TIME_ZONE), so "22:05" on the page is the bot's 22:05 in any browser.
function timeOf(unixSeconds) {
  const local = new Date((unixSeconds + page.utcOffsetMinutes * 60) * 1000);
  const two = (n) => String(n).padStart(2, '0');
  return `${two(local.getUTCHours())}:${two(local.getUTCMinutes())}`;
}

function placeName(location) {
  const near = page.places.find(
    (p) => Math.abs(p.latitude - location.latitude) < 1e-6 && Math.abs(p.longitude - location.longitude) < 1e-6,
  );
  return near ? near.name : 'Location';
}

// Text with its links clickable (built from text nodes and anchors, never parsed as HTML).
function textWithLinks(className, text) {
  const node = element('div', className);
  const link = /https?:\/\/[^\s]+/g;
  let from = 0;
  for (const match of text.matchAll(link)) {
    node.append(document.createTextNode(text.slice(from, match.index)));
    const url = match[0];
    const anchor = element('a', '', url);
    anchor.href = url;
    anchor.rel = 'noopener';
    anchor.target = '_blank';
    anchor.addEventListener('click', (event) => {
      event.preventDefault();
      openUrl(url);
    });
    node.append(anchor);
    from = match.index + url.length;
  }
  node.append(document.createTextNode(text.slice(from)));
  return node;
}

function renderMessageBody(bubble, message) {
  if (message.photo_file_id) {
    const image = element('img', 'photo');
    image.src = `/driver/file/${encodeURIComponent(message.photo_file_id)}`;
    image.alt = message.caption || 'Photo';
    bubble.append(image);
    if (message.caption) bubble.append(textWithLinks('message-text', message.caption));
  } else if (message.location) {
    const card = element('div', 'location-card');
    card.append(element('span', 'card-icon', '📍'));
    const text = element('div');
    // A venue the bot sent carries its own name and address; a shared location is named here.
    text.append(element('div', 'card-title', message.venue ? message.venue.title : placeName(message.location)));
    if (message.venue) text.append(element('div', 'card-detail', message.venue.address));
    text.append(
      element('div', 'card-detail', `${message.location.latitude.toFixed(5)}, ${message.location.longitude.toFixed(5)}`),
    );
    card.append(text);
    bubble.append(card);
  } else if (message.contact) {
    const card = element('div', 'contact-card');
    card.append(element('span', 'card-icon', '👤'));
    const text = element('div');
    text.append(element('div', 'card-title', message.contact.first_name));
    text.append(element('div', 'card-detail', message.contact.phone_number));
    card.append(text);
    bubble.append(card);
  } else {
    bubble.append(textWithLinks('message-text', message.text));
  }
  const meta = element('span', 'message-meta', (message.edit_count > 0 ? 'edited ' : '') + timeOf(message.date));
  bubble.append(meta);
}

function renderInlineKeyboard(row, message) {
  const markup = message.reply_markup;
  if (!message.from_bot || !markup || !Array.isArray(markup.inline_keyboard)) return;
  const keyboard = element('div', 'inline-keyboard');
  for (const buttons of markup.inline_keyboard) {
    const line = element('div', 'keyboard-row');
    for (const spec of buttons) {
      const button = element('button', 'inline-button', spec.text);
      button.type = 'button';
      if (spec.url) {
        button.title = spec.url;
        button.addEventListener('click', () => openUrl(spec.url));
      } else if (spec.callback_data !== undefined) {
        button.addEventListener('click', () => tap(button, message.message_id, spec.callback_data));
      }
      line.append(button);
    }
    keyboard.append(line);
  }
  row.append(keyboard);
}

function renderChat(before) {
  const persona = activePersona();
  const chat = persona ? page.chats.get(persona.id) : null;
  const box = $('messages');
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
  const editsBefore = new Map();
  if (before) for (const m of before.messages) editsBefore.set(m.message_id, m.edit_count);

  box.replaceChildren();
  const messages = chat ? chat.messages : [];
  if (messages.length === 0) {
    box.append(
      element('div', 'empty-chat', persona ? `${persona.first_name} has no messages with the bot yet. Press START.` : 'Nobody to chat as.'),
    );
  }
  for (const message of messages) {
    const row = element('div', `message-row ${message.from_bot ? 'from-bot' : 'from-user'}`);
    row.dataset.messageId = message.message_id;
    const bubble = element('div', 'message');
    const known = editsBefore.get(message.message_id);
    if (known !== undefined && known < message.edit_count) bubble.classList.add('just-edited');
    renderMessageBody(bubble, message);
    row.append(bubble);
    renderInlineKeyboard(row, message);
    box.append(row);
  }
  const grew = !before || !chat || chat.messages.length > before.messages.length;
  if (atBottom || grew) box.scrollTop = box.scrollHeight;

  $('start-panel').hidden = !persona || messages.length > 0;
  renderReplyKeyboard(chat);
}

function renderReplyKeyboard(chat) {
  const area = $('reply-keyboard');
  area.replaceChildren();
  const markup = chat ? chat.reply_keyboard : null;
  const input = $('text-input');
  input.placeholder = (markup && markup.input_field_placeholder) || 'Message';
  if (!markup || !Array.isArray(markup.keyboard)) {
    area.hidden = true;
    return;
  }
  for (const buttons of markup.keyboard) {
    const line = element('div', 'keyboard-row');
    for (const spec of buttons) {
      const text = typeof spec === 'string' ? spec : spec.text;
      const button = element('button', '', text);
      button.type = 'button';
      button.addEventListener('click', () => {
        if (spec.request_location) openLocationDialog();
        else if (spec.request_contact) openContactDialog();
        else sendText(text);
      });
      line.append(button);
    }
    area.append(line);
  }
  area.hidden = false;
}

function renderHeader() {
  const persona = activePersona();
  const botName = page.bot ? page.bot.first_name : 'bot';
  $('chat-title').textContent = botName;
  $('chat-subtitle').textContent = persona
    ? `@${page.bot ? page.bot.username : ''} · you are ${persona.first_name} (${persona.role}, id ${persona.id})`
    : '';
  $('chat-avatar').textContent = initials(botName);
}

let toastTimer = null;

function showToast(text) {
  const toast = $('toast');
  toast.textContent = text;
  toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    toast.hidden = true;
  }, 4000);
}

function hideToast() {
  clearTimeout(toastTimer);
  $('toast').hidden = true;
}

function showAlert(text) {
  $('alert-text').textContent = text;
  $('alert-dialog').showModal();
}

// ---- Choosing who you are

async function choosePersona(id) {
  hideToast(); // a popup belongs to the chat it answered
  page.activeId = id;
  localStorage.setItem(ACTIVE_PERSONA_KEY, String(id));
  renderHeader();
  renderPersonas();
  renderChat(page.chats.get(id));
  try {
    await refreshChat(id);
  } catch (error) {
    showToast(`The sandbox is not answering: ${error.message}`);
  }
  $('text-input').focus();
}

function addedPersonas() {
  try {
    const stored = JSON.parse(localStorage.getItem(ADDED_PERSONAS_KEY) || '[]');
    return Array.isArray(stored) ? stored : [];
  } catch (_) {
    return [];
  }
}

// The label follows what the bot makes of the id: an admin only if ADMIN_IDS says so.
function addPersona(id, name) {
  const role = page.adminIds.includes(id) ? 'admin' : 'customer';
  const persona = { id, first_name: name, role, language_code: 'en', phone: `+1555${String(id).padStart(7, '0')}` };
  const added = addedPersonas().filter((p) => p.id !== id);
  added.push(persona);
  localStorage.setItem(ADDED_PERSONAS_KEY, JSON.stringify(added));
  page.personas = page.personas.filter((p) => p.id !== id).concat([persona]);
  restartWatch();
  choosePersona(id);
}

// ---- Dialogs

function openLocationDialog() {
  const list = $('place-list');
  list.replaceChildren();
  for (const place of page.places) {
    const button = element('button', '', `📍 ${place.name}`);
    button.type = 'submit';
    button.value = `place:${page.places.indexOf(place)}`;
    list.append(button);
  }
  $('location-dialog').showModal();
}

function openContactDialog() {
  const persona = activePersona();
  $('phone-input').value = persona ? persona.phone || '' : '';
  $('contact-dialog').showModal();
}

function wireDialogs() {
  $('location-dialog').addEventListener('close', () => {
    const choice = $('location-dialog').returnValue;
    if (choice.startsWith('place:')) {
      const place = page.places[Number(choice.slice(6))];
      if (place) sendLocation(place.latitude, place.longitude);
    } else if (choice === 'coordinates') {
      const latitude = Number($('latitude-input').value);
      const longitude = Number($('longitude-input').value);
      if ($('latitude-input').value === '' || $('longitude-input').value === '') {
        showToast('Type both a latitude and a longitude.');
      } else {
        sendLocation(latitude, longitude);
      }
    }
  });
  $('contact-dialog').addEventListener('close', () => {
    const phone = $('phone-input').value.trim();
    if ($('contact-dialog').returnValue === 'send' && phone) sendContact(phone);
  });
  $('photo-dialog').addEventListener('close', () => {
    const file = $('photo-input').files[0];
    if ($('photo-dialog').returnValue === 'send' && file) sendPhoto(file, $('caption-input').value);
    URL.revokeObjectURL($('photo-preview').src);
    $('photo-input').value = '';
  });
  $('photo-input').addEventListener('change', () => {
    const file = $('photo-input').files[0];
    if (!file) return;
    $('photo-preview').src = URL.createObjectURL(file);
    $('caption-input').value = '';
    $('photo-dialog').showModal();
  });
}

function wireComposer() {
  $('composer').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = $('text-input');
    const text = input.value;
    if (!text.trim()) return;
    input.value = '';
    sendText(text);
  });
  $('start-button').addEventListener('click', () => sendText('/start'));

  const menu = $('attach-menu');
  const toggle = $('attach-button');
  const setMenu = (open) => {
    menu.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
  };
  toggle.addEventListener('click', () => setMenu(menu.hidden));
  document.addEventListener('click', (event) => {
    if (!menu.hidden && !event.target.closest('.attach')) setMenu(false);
  });
  menu.addEventListener('click', (event) => {
    const action = event.target.closest('button') && event.target.closest('button').dataset.action;
    if (!action) return;
    setMenu(false);
    if (action === 'location') openLocationDialog();
    if (action === 'contact') openContactDialog();
    if (action === 'photo') $('photo-input').click();
  });

  $('add-persona-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.target;
    const id = Number(form.elements.id.value);
    const name = form.elements.name.value.trim();
    if (!Number.isInteger(id) || id <= 0 || !name) return;
    addPersona(id, name);
    form.reset();
  });
}

// ---- Start

async function start() {
  wireComposer();
  wireDialogs();
  let setup;
  try {
    setup = await driver('/driver/page');
  } catch (error) {
    showToast(`The sandbox is not answering: ${error.message}`);
    return;
  }
  page.bot = setup.bot;
  page.places = setup.places;
  page.utcOffsetMinutes = setup.utc_offset_minutes || 0;
  page.adminIds = setup.admin_ids || [];
  page.personas = setup.personas.slice();
  for (const added of addedPersonas()) {
    added.role = page.adminIds.includes(added.id) ? 'admin' : 'customer';
    if (!page.personas.some((p) => p.id === added.id)) page.personas.push(added);
  }
  const remembered = Number(localStorage.getItem(ACTIVE_PERSONA_KEY));
  const first = page.personas.some((p) => p.id === remembered) ? remembered : page.personas[0] && page.personas[0].id;
  renderPersonas();
  if (first !== undefined) await choosePersona(first);
  // Every chat once, so unread counts start from what is already there.
  await Promise.all(page.personas.filter((p) => p.id !== first).map((p) => refreshChat(p.id).catch(() => {})));
  watchLoop();
}

start();

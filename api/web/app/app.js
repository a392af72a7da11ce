// Pacesetter's reference dashboard: plain JavaScript over the public GraphQL API only (the
// operations in operations.graphql), live through graphql-ws subscriptions.

const SESSION_KEY = "pacesetter.session";
const MONEY = new Set(["REVENUE", "GROSS_PROFIT", "AVERAGE_DEAL_SIZE"]);
const RATES = new Set([
  "PROFIT_MARGIN", "WIN_RATE", "RETENTION_RATE", "CONVERSION_RATE", "MARKET_SHARE", "PENETRATION",
]);
// An access token lasts 15 minutes; the session trades its refresh token a little before.
const REFRESH_EVERY_MS = 12 * 60 * 1000;

const state = {
  session: JSON.parse(sessionStorage.getItem(SESSION_KEY) || "null"),
  operations: null,
  socket: null,
  live: [],
  viewer: null,
  teamId: null,
  selectedGoal: null,
  charts: [],
};

// --- GraphQL ------------------------------------------------------------------------------

async function loadOperations() {
  const text = await (await fetch("operations.graphql")).text();
  const definitions = {};
  const source = text.replace(/^\s*#.*$/gm, "");
  for (const chunk of source.split(/^(?=(?:query|mutation|subscription|fragment) )/m)) {
    const match = chunk.match(/^(query|mutation|subscription|fragment) (\w+)/);
    if (match) definitions[match[2]] = { kind: match[1], text: chunk.trim() };
  }
  // Each operation goes out with the fragments it spreads, and theirs.
  const documents = {};
  for (const [name, definition] of Object.entries(definitions)) {
    if (definition.kind === "fragment") continue;
    const used = new Set();
    const pending = [definition.text];
    while (pending.length) {
      for (const [, spread] of pending.pop().matchAll(/\.\.\.(\w+)/g)) {
        if (!used.has(spread) && definitions[spread]) {
          used.add(spread);
          pending.push(definitions[spread].text);
        }
      }
    }
    documents[name] = [definition.text, ...[...used].map((f) => definitions[f].text)].join("\n\n");
  }
  state.operations = documents;
}

class GraphQLError extends Error {
  constructor(errors) {
    super(errors.map((e) => e.message).join("; "));
    this.codes = errors.map((e) => e.extensions && e.extensions.code);
  }
}

async function request(operationName, variables = {}) {
  const headers = { "content-type": "application/json" };
  if (state.session) headers.authorization = `Bearer ${state.session.accessToken}`;
  const response = await fetch("/graphql", {
    method: "POST",
    headers,
    body: JSON.stringify({ query: state.operations[operationName], operationName, variables }),
  });
  const body = await response.json();
  if (body.errors && body.errors.length) {
    const error = new GraphQLError(body.errors);
    if (error.codes.includes("UNAUTHENTICATED") && state.session) {
      if (await refreshSession()) return request(operationName, variables);
      signOut();
    }
    throw error;
  }
  return body.data;
}

function socket() {
  if (!state.socket) {
    state.socket = graphqlWs.createClient({
      url: `${location.origin.replace(/^http/, "ws")}/graphql`,
      // Read at each (re)connection, so a refreshed token is the one sent.
      connectionParams: () => ({ authorization: `Bearer ${state.session.accessToken}` }),
      retryAttempts: Infinity,
      shouldRetry: () => true,
    });
  }
  return state.socket;
}

function follow(operationName, variables, onData) {
  const stop = socket().subscribe(
    { query: state.operations[operationName], operationName, variables },
    {
      next: (result) => result.data && onData(result.data),
      error: (error) => {
        // 4401: the access token ran out (4403: it was refused); start again on a fresh one.
        if (error && (error.code === 4401 || error.code === 4403)) restartLive();
        else console.warn(operationName, error);
      },
      complete: () => {},
    },
  );
  state.live.push(stop);
}

let restarting = null;
function restartLive() {
  if (restarting) return;
  restarting = refreshSession().then((ok) => {
    restarting = null;
    if (!ok) return signOut();
    stopFollowing();
    if (state.socket) state.socket.dispose();
    state.socket = null;
    return start();
  });
}

function stopFollowing() {
  for (const stop of state.live) stop();
  state.live = [];
}

// --- Session ------------------------------------------------------------------------------

function keepSession(session) {
  state.session = session;
  if (session) sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(SESSION_KEY);
}

let refreshing = null;
function refreshSession() {
  // A refresh token is good once: requests that find the token expired together share one trade.
  if (!refreshing) {
    refreshing = trade().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

async function trade() {
  const held = state.session;
  if (!held || !held.refreshToken) return false;
  state.session = null;
  try {
    const result = (await request("Refresh", { refreshToken: held.refreshToken })).refreshToken;
    if (result.__typename !== "Session") return false;
    keepSession({ accessToken: result.accessToken, refreshToken: result.refreshToken });
    return true;
  } catch {
    state.session = held;
    return false;
  }
}

async function signIn(email, password) {
  const result = (await request("SignIn", { email, password })).login;
  if (result.__typename === "Session") {
    keepSession({ accessToken: result.accessToken, refreshToken: result.refreshToken });
    return null;
  }
  if (result.__typename === "RetryLater") return result.message;
  return result.errors.map((e) => e.message).join(" ");
}

function signOut() {
  const refreshToken = state.session && state.session.refreshToken;
  if (refreshToken) request("SignOut", { refreshToken }).catch(() => {});
  stopFollowing();
  if (state.socket) state.socket.dispose();
  state.socket = null;
  keepSession(null);
  showSignIn();
}

// --- Dates in the organisation's timezone --------------------------------------------------

function today(timezone) {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone: timezone }).format(new Date());
}

function monthOf(day) {
  const [year, month] = day.split("-").map(Number);
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const pad = (n) => String(n).padStart(2, "0");
  return {
    start: `${year}-${pad(month)}-01`,
    end: `${year}-${pad(month)}-${pad(last)}`,
    label: new Date(Date.UTC(year, month - 1, 1)).toLocaleString("en", {
      month: "long", year: "numeric", timeZone: "UTC",
    }),
  };
}

function monthsBack(day, count) {
  const [year, month] = day.split("-").map(Number);
  const start = new Date(Date.UTC(year, month - count, 1));
  return start.toISOString().slice(0, 10);
}

// --- Formatting ---------------------------------------------------------------------------

function escape(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function figure(metric, value) {
  if (value === null || value === undefined) return "–";
  const number = Number(value);
  if (MONEY.has(metric)) {
    return new Intl.NumberFormat("en", {
      style: "currency", currency: state.viewer.organisation.currency, maximumFractionDigits: 0,
    }).format(number);
  }
  if (RATES.has(metric)) return `${number.toFixed(1)}%`;
  return new Intl.NumberFormat("en", { maximumFractionDigits: 1 }).format(number);
}

function compact(metric, value) {
  const options = { notation: "compact", maximumFractionDigits: 1 };
  if (MONEY.has(metric)) Object.assign(options, { style: "currency", currency: state.viewer.organisation.currency });
  return new Intl.NumberFormat("en", options).format(value);
}

function metricName(metric) {
  return metric.charAt(0) + metric.slice(1).toLowerCase().replaceAll("_", " ");
}

function statusPill(status) {
  return `<span class="status ${status}">${escape(status.replace("_", " ").toLowerCase())}</span>`;
}

// --- Rendering ----------------------------------------------------------------------------

const main = () => document.getElementById("view");

function showSignIn(message = "") {
  document.getElementById("who").innerHTML = "";
  main().innerHTML = `
    <form id="sign-in" class="panel">
      <h2>Sign in</h2>
      <label>Email <input name="email" type="email" autocomplete="username" required></label>
      <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
      <p class="error" role="alert">${escape(message)}</p>
      <button type="submit">Sign in</button>
    </form>`;
  document.getElementById("sign-in").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const problem = await signIn(form.get("email"), form.get("password")).catch((e) => e.message);
    if (problem) showSignIn(problem);
    else start();
  });
}

function goalCard(goal, ownerId) {
  const progress = goal.progress || {};
  return `
    <button class="goal" data-goal-id="${escape(goal.id)}" data-metric="${escape(goal.metric)}"
            data-target="${escape(goal.target)}" data-owner-id="${escape(ownerId)}" type="button">
      <span class="goal-head">
        <span class="metric">${escape(metricName(goal.metric))}</span>
        <span class="period">${escape(goal.periodLabel || `${goal.periodStart} – ${goal.periodEnd}`)}</span>
      </span>
      ${progressFigures(goal.metric, goal.target, progress)}
    </button>`;
}

function progressFigures(metric, target, progress) {
  const attainment = Number(progress.attainment || 0);
  const expected = Number(progress.expectedAttainment || 0);
  return `
    <span class="figures">
      <span class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="100"
            aria-valuenow="${attainment.toFixed(0)}">
        <span class="fill ${escape(progress.status || "")}" style="width:${Math.min(attainment, 100)}%"></span>
        <span class="expected" style="left:${Math.min(expected, 100)}%" title="where pace would be"></span>
      </span>
      <span class="numbers">
        <span class="value">${figure(metric, progress.currentValue)}</span>
        <span class="of">of ${figure(metric, target)}</span>
        <span class="attainment">${progress.attainment == null ? "–" : `${attainment.toFixed(0)}%`}</span>
      </span>
      <span class="numbers">
        <span class="pace">pace ${progress.pace == null ? "–" : `${Number(progress.pace).toFixed(2)}×`}</span>
        ${progress.status ? statusPill(progress.status) : ""}
      </span>
    </span>`;
}

function updateGoal(progress) {
  for (const card of document.querySelectorAll(`.goal[data-goal-id="${CSS.escape(progress.goalId)}"]`)) {
    const figures = card.querySelector(".figures");
    const target = card.dataset.target;
    figures.outerHTML = progressFigures(card.dataset.metric, target, progress);
    card.classList.remove("moved");
    void card.offsetWidth; // restart the highlight
    card.classList.add("moved");
  }
  if (state.selectedGoal === progress.goalId) showCharts(state.selectedGoal);
}

function goalList(goals, ownerId) {
  if (!goals.length) return `<p class="quiet">No goals this period.</p>`;
  return `<div class="goals">${goals.map((g) => goalCard(g, ownerId)).join("")}</div>`;
}

function boardRows(board) {
  if (!board.entries.length) return `<p class="quiet">No one ranked yet.</p>`;
  return `<ol class="board">${board.entries
    .map(
      (e) => `<li data-rep-id="${escape(e.repId)}"${e.repId === state.viewer.me.id ? ' class="mine"' : ""}>
        <span class="rank">${e.rank ?? "–"}</span><span class="name">${escape(e.name)}</span>
        <span class="value">${figure("REVENUE", e.value)}</span></li>`,
    )
    .join("")}</ol>`;
}

function showBoard(board) {
  const panel = document.getElementById("board");
  if (!panel) return;
  panel.querySelector(".content").innerHTML = boardRows(board);
  const rank = document.getElementById("my-rank");
  if (rank) {
    rank.textContent = board.me && board.me.rank
      ? `#${board.me.rank} of ${board.entries.length} · ${figure("REVENUE", board.me.value)}`
      : "not ranked yet";
  }
}

function awardLine(award, named = true) {
  const when = new Date(award.awardedAt).toLocaleDateString("en", {
    month: "short", day: "numeric", timeZone: state.viewer.organisation.timezone,
  });
  return `<li><span class="badge">${escape(award.badgeName)}</span>
    <span class="name">${named ? escape(award.repName) : ""}</span><span class="quiet">${escape(when)}</span></li>`;
}

function awardFromNode(node) {
  return { id: node.id, badgeName: node.badge.name, repName: node.rep.name, awardedAt: node.awardedAt };
}

function dueRows(due) {
  if (!due.length) return `<p class="quiet">None due this week.</p>`;
  return `<ul class="due">${due
    .map(
      (d) => `<li class="${escape(d.state)}"><span class="name">${escape(d.rep ? d.rep.name : "")}</span>
        <span>${d.daysOverdue > 0 ? `${d.daysOverdue} days overdue` : `due ${escape(d.dueOn)}`}</span></li>`,
    )
    .join("")}</ul>`;
}

function panel(id, title, content, extra = "") {
  return `<section class="panel ${extra}" id="${id}"><h2>${title}</h2><div class="content">${content}</div></section>`;
}

function chartsPanel() {
  return panel(
    "charts",
    `Progress history and trend <span class="quiet" id="chart-goal"></span>`,
    `<div class="charts"><div id="history-chart"></div><div id="trend-chart"></div></div>`,
    "wide",
  );
}

// --- Screens ------------------------------------------------------------------------------

async function start() {
  stopFollowing();
  main().innerHTML = `<p class="quiet">Loading…</p>`;
  const probe = await loadViewer().catch((error) => error);
  if (probe instanceof Error) return showSignIn(state.session ? probe.message : "");
  const { me, organisation } = state.viewer;
  document.getElementById("who").innerHTML = `
    <span>${escape(organisation.name)} · ${escape(me.name)}</span>
    <button type="button" id="sign-out">Sign out</button>`;
  document.getElementById("sign-out").addEventListener("click", signOut);
  if (me.managedTeams.length) await showManager();
  else await showRep();
}

async function loadViewer() {
  // The organisation's timezone is needed for "today"; the first guess is the browser's.
  let day = today(Intl.DateTimeFormat().resolvedOptions().timeZone);
  let data = await request("Viewer", { today: day });
  const local = today(data.organisation.timezone);
  if (local !== day) data = await request("Viewer", { today: local });
  state.viewer = { ...data, today: local, month: monthOf(local) };
}

function teamsUnder(roots) {
  // The teams a manager holds, and the teams below them, as the tree `teams` gives.
  const all = state.viewer.teams;
  const chosen = [];
  const visit = (team, depth) => {
    chosen.push({ ...team, depth });
    for (const child of all.filter((t) => t.parent && t.parent.id === team.id)) visit(child, depth + 1);
  };
  for (const root of roots) visit(root, 0);
  return chosen;
}

async function showManager() {
  const { me, month } = state.viewer;
  const teams = teamsUnder(me.managedTeams);
  if (!state.teamId || !teams.some((t) => t.id === state.teamId)) {
    // A director's own team holds the teams; its first team with people is a better start.
    state.teamId = (teams.find((t) => t.depth > 0) || teams[0]).id;
  }
  const myGoals = me.goals.edges.map((e) => e.node);
  main().innerHTML = `
    <div class="toolbar">
      <label>Team <select id="team-choice">${teams
        .map((t) => `<option value="${escape(t.id)}"${t.id === state.teamId ? " selected" : ""}>${"· ".repeat(t.depth)}${escape(t.name)}</option>`)
        .join("")}</select></label>
      <span class="live" id="live-state">live</span>
    </div>
    <div class="grid">
      ${panel("team", "Team", `<p class="quiet">Loading…</p>`, "wide")}
      ${panel("board", `Leaderboard · revenue, ${escape(month.label)}`, "")}
      ${panel("awards", "Awards", "")}
      ${panel("due", "Check-ins due", "")}
      ${myGoals.length ? panel("mine", "My goals", goalList(myGoals, me.id)) : ""}
      ${chartsPanel()}
    </div>`;
  document.getElementById("team-choice").addEventListener("change", (event) => {
    state.teamId = event.target.value;
    showManager();
  });
  await loadTeam();
}

async function loadTeam() {
  const { me, today: day, month } = state.viewer;
  const teamId = state.teamId;
  const [view, board] = await Promise.all([
    request("TeamView", { teamId, today: day, managerId: me.id }),
    request("Board", { teamId, monthStart: month.start, monthEnd: month.end }),
  ]);
  const reps = view.team.reps.edges.map((e) => e.node);
  const teamPanel = document.getElementById("team");
  teamPanel.querySelector("h2").textContent = `Team ${view.team.name}`;
  teamPanel.querySelector(".content").innerHTML = reps.length
    ? reps
        .map(
          (rep) => `<div class="rep" data-rep-id="${escape(rep.id)}"><h3>${escape(rep.name)}</h3>
            ${goalList(rep.goals.edges.map((e) => e.node), rep.id)}</div>`,
        )
        .join("")
    : `<p class="quiet">No reps in this team; choose one of its teams.</p>`;
  showBoard(board.leaderboard);
  document.querySelector("#awards .content").innerHTML =
    `<ul class="awards">${view.awards.edges.map((e) => awardLine(awardFromNode(e.node))).join("")}</ul>`;
  document.querySelector("#due .content").innerHTML = dueRows(view.checkInsDue);
  wireGoals();

  const monthly = { teamId, monthStart: month.start, monthEnd: month.end };
  follow("LiveProgress", { teamId }, (data) => {
    updateGoal(data.goalProgress);
    refreshBoardSoon(monthly);
  });
  follow("LiveBoard", monthly, (data) => showBoard(data.leaderboard));
  follow("LiveAwards", { teamId }, (data) => {
    const list = document.querySelector("#awards .awards");
    if (list && data.awards.kind === "AWARDED") list.insertAdjacentHTML("afterbegin", awardLine(data.awards));
  });
  follow("LiveCheckIns", { teamId }, async () => {
    const fresh = await request("TeamView", { teamId, today: day, managerId: me.id });
    document.querySelector("#due .content").innerHTML = dueRows(fresh.checkInsDue);
  });
}

let boardTimer = null;
function refreshBoardSoon(variables) {
  // The board subscription speaks when a rank changes; figures that move without changing
  // a rank are read again here, once per burst of progress events.
  clearTimeout(boardTimer);
  boardTimer = setTimeout(async () => {
    showBoard((await request("Board", variables)).leaderboard);
  }, 250);
}

async function showRep() {
  const { me, month } = state.viewer;
  const teamId = me.team ? me.team.id : null;
  const goals = me.goals.edges.map((e) => e.node);
  const monthly = { teamId, monthStart: month.start, monthEnd: month.end };
  const [mine, board] = await Promise.all([request("RepView"), request("Board", monthly)]);
  main().innerHTML = `
    <div class="toolbar"><span>${escape(me.team ? `Team ${me.team.name}` : "")}</span>
      <span class="live">live</span></div>
    <div class="grid">
      ${panel("mine", "My goals", goalList(goals, me.id), "wide")}
      <section class="panel" id="board"><h2>My rank · revenue, ${escape(month.label)}</h2>
        <p class="big" id="my-rank"></p><div class="content"></div></section>
      ${panel("achievements", "Achievements", "")}
      ${panel("rewards", "Rewards", "")}
      ${chartsPanel()}
    </div>`;
  showBoard(board.leaderboard);
  showAchievements(mine);
  wireGoals();
  follow("LiveProgress", { repId: me.id }, (data) => {
    updateGoal(data.goalProgress);
    refreshBoardSoon(monthly);
  });
  follow("LiveBoard", monthly, (data) => showBoard(data.leaderboard));
  follow("LiveAwards", { repId: me.id }, async () => showAchievements(await request("RepView")));
}

function showAchievements(data) {
  const a = data.myAchievements;
  document.querySelector("#achievements .content").innerHTML = `
    <p class="big">${a.points} points · level ${a.level}</p>
    <p class="quiet">${a.pointsToNextLevel == null ? "Top level" : `${a.pointsToNextLevel} points to the next level`}</p>
    <h3>${a.badges.length} badges; the latest</h3>
    <ul class="awards">${a.recent
      .map((b) => awardLine(awardFromNode(b), false).replace(
        "</li>",
        `<button type="button" class="carry" data-award-id="${escape(b.id)}"
           data-badge="${escape(b.badge.name)}" title="An Open Badges 3.0 credential for any wallet">Credential</button></li>`,
      ))
      .join("")}</ul>`;
  for (const button of document.querySelectorAll("#achievements .carry")) {
    button.addEventListener("click", () => downloadCredential(button.dataset.awardId, button.dataset.badge));
  }
  const r = data.myRewards;
  const money = (v) => figure("REVENUE", v);
  document.querySelector("#rewards .content").innerHTML = `
    <dl class="rewards"><dt>Provisional</dt><dd>${money(r.provisional)}</dd>
      <dt>Final</dt><dd>${money(r.final)}</dd><dt>Paid</dt><dd>${money(r.paid)}</dd></dl>`;
}

async function downloadCredential(awardId, badge) {
  const result = (await request("IssueCredential", { awardId })).issueCredential;
  if (result.__typename !== "OpenBadgeCredential") {
    alert(result.errors.map((e) => e.message).join(" "));
    return;
  }
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([result.jwt], { type: "application/vc+jwt" }));
  link.download = `${badge.replace(/[^\w-]+/g, "-")}.jwt`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

// --- Charts -------------------------------------------------------------------------------

function wireGoals() {
  for (const card of document.querySelectorAll(".goal")) {
    card.addEventListener("click", () => showCharts(card.dataset.goalId));
  }
  const first = document.querySelector(".goal");
  if (first) showCharts(state.selectedGoal && document.querySelector(`.goal[data-goal-id="${CSS.escape(state.selectedGoal)}"]`) ? state.selectedGoal : first.dataset.goalId);
}

async function showCharts(goalId) {
  state.selectedGoal = goalId;
  for (const card of document.querySelectorAll(".goal")) {
    card.classList.toggle("selected", card.dataset.goalId === goalId);
  }
  const card = document.querySelector(`.goal[data-goal-id="${CSS.escape(goalId)}"]`);
  if (!card) return;
  const { today: day } = state.viewer;
  const metric = card.dataset.metric;
  const [history, trend] = await Promise.all([
    request("GoalHistory", { goalId }),
    request("Trend", { metric, from: monthsBack(day, 11), to: day, ownerId: card.dataset.ownerId }),
  ]);
  for (const chart of state.charts) chart.destroy();
  state.charts = [];
  const label = document.getElementById("chart-goal");
  if (label) label.textContent = `· ${metricName(metric)}, ${history.goal.periodLabel || ""}`;
  const width = Math.max(260, document.getElementById("history-chart").clientWidth - 8);
  const snapshots = history.goal.progressHistory;
  state.charts.push(
    new uPlot(
      {
        title: "Attainment against pace (%)",
        width,
        height: 220,
        series: [
          {},
          { label: "attainment", stroke: "#2563eb", width: 2 },
          { label: "expected", stroke: "#9ca3af", dash: [6, 4] },
        ],
      },
      [
        snapshots.map((s) => Date.parse(s.takenAt) / 1000),
        snapshots.map((s) => (s.attainment == null ? null : Number(s.attainment))),
        snapshots.map((s) => Number(s.expectedAttainment)),
      ],
      document.getElementById("history-chart"),
    ),
  );
  const points = trend.metricSeries.points;
  state.charts.push(
    new uPlot(
      {
        title: `${metricName(metric)} by month`,
        width,
        height: 220,
        scales: { x: { time: false } },
        axes: [
          { values: (u, ticks) => ticks.map((i) => (points[i] ? points[i].label : "")) },
          { size: 64, values: (u, ticks) => ticks.map((v) => compact(metric, v)) },
        ],
        series: [
          {},
          { label: metricName(metric), stroke: "#059669", width: 2, fill: "rgba(5,150,105,0.08)" },
          { label: "a year earlier", stroke: "#9ca3af", dash: [4, 4] },
        ],
      },
      [
        points.map((_, i) => i),
        points.map((p) => (p.value == null ? null : Number(p.value))),
        points.map((p) => (p.compareValue == null ? null : Number(p.compareValue))),
      ],
      document.getElementById("trend-chart"),
    ),
  );
}

// --- Start --------------------------------------------------------------------------------

(async () => {
  await loadOperations();
  setInterval(() => state.session && refreshSession(), REFRESH_EVERY_MS);
  if (state.session) start();
  else showSignIn();
})();

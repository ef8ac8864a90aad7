-- A real Neovim 0.7 session against the language server (scripts/editors/trial.sh runs it):
-- nvim --headless --clean -u scripts/editors/nvim.lua FILE.prompts
-- Env: KN_SERVER (the server's .js), KN_RESULTS (a file: one JSON line per check), KN_CACHE.
-- Neovim 0.7 has no vim.lsp.start (0.8+): vim.lsp.start_client + buf_attach_client, as its docs say.
local results = assert(io.open(os.getenv('KN_RESULTS'), 'w'))
local function record(check, ok, detail)
  results:write(vim.fn.json_encode({ editor = 'neovim ' .. tostring(vim.version().major) .. '.' .. tostring(vim.version().minor), check = check, ok = ok, detail = detail or '' }) .. '\n')
  results:flush()
end
local function finish(code)
  results:close()
  vim.cmd((code == 0 and 'qall!' or ('cquit ' .. code)))
end

-- (the file is loaded after this script runs: everything happens on VimEnter)
local function main()
vim.bo.filetype = 'prompts'
local buf = vim.api.nvim_get_current_buf()
local file = vim.api.nvim_buf_get_name(buf)
local diagnostics = {}
local client_id = vim.lsp.start_client({
  name = 'knowledge_neurons',
  cmd = { 'node', os.getenv('KN_SERVER') },
  root_dir = vim.fn.fnamemodify(file, ':h:h'),
  init_options = { settings = { onSave = 'attributions', device = 'cpu', cacheFolder = os.getenv('KN_CACHE') } },
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, params, ctx, config)
      diagnostics[#diagnostics + 1] = params
      return vim.lsp.diagnostic.on_publish_diagnostics(err, params, ctx, config)
    end,
  },
})
vim.lsp.buf_attach_client(buf, client_id)
local client = vim.lsp.get_client_by_id(client_id)
local function wait(what, ms, cond)
  local ok = vim.wait(ms, cond, 100)
  if not ok then record(what, false, 'timed out after ' .. ms .. ' ms') end
  return ok
end

-- 1. syntax diagnostics as the file opens (its last prompt has two masks)
if wait('syntax diagnostics', 20000, function()
  return #vim.tbl_filter(function(d) return d.severity == vim.diagnostic.severity.ERROR end, vim.diagnostic.get(buf)) > 0
end) then
  local errors = vim.tbl_filter(function(d) return d.severity == vim.diagnostic.severity.ERROR end, vim.diagnostic.get(buf))
  record('syntax diagnostics', true, string.format('line %d: %s', errors[1].lnum + 1, errors[1].message))
end

-- 2. model diagnostics after a save (didSave): P(answer) is computed, a low-confidence warning comes
vim.cmd('silent write')
if wait('model diagnostics after :write', 60000, function()
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == 'low-confidence' or d.code == 'wrong-prediction' then return true end
  end
  return false
end) then
  local codes = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do codes[#codes + 1] = tostring(d.code) end
  record('model diagnostics after :write', true, table.concat(codes, ', '))
end

-- 3. hover on the first prompt (markdown, as Neovim declares)
local prompt_line = nil
for i, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
  if not prompt_line and l:match('^%s+%S') and l:match('<mask>') then prompt_line = i - 1 end
end
local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover', {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  position = { line = prompt_line, character = 6 },
}, 20000)
local value = hover and hover[client_id] and hover[client_id].result and hover[client_id].result.contents.value or ''
record('hover', value:match('P%(Paris%)') ~= nil, (value:gsub('\n.*', '')))

-- 4. code lenses: refresh, then run the first fact's "Find knowledge neurons" with codelens.run()
--    (Neovim runs a lens command only if the server advertises it), and see the lens title change
vim.lsp.codelens.refresh()
wait('code lenses', 20000, function() return #(vim.lsp.codelens.get(buf) or {}) > 0 end)
local lenses = vim.lsp.codelens.get(buf) or {}
local find = nil
for _, l in ipairs(lenses) do
  if l.command and l.command.command == 'knowledgeNeurons.server.findNeurons' and not find then find = l end
end
if find then
  vim.api.nvim_win_set_cursor(0, { find.range.start.line + 1, 0 })
  local notified = {}
  local notify = vim.notify
  vim.notify = function(msg, ...) notified[#notified + 1] = msg; return notify(msg, ...) end
  -- three lenses on the header line: Neovim asks which one (vim.ui.select); pick Find
  local offered = {}
  vim.ui.select = function(options, opts, on_choice)
    for i, o in ipairs(options) do
      offered[#offered + 1] = opts.format_item(o)
      if o.lens.command.command == 'knowledgeNeurons.server.findNeurons' then return on_choice(o, i) end
    end
    on_choice(nil, nil)
  end
  -- the command's answer: codelens.run sends workspace/executeCommand through client.request
  local answered = false
  local request = client.request
  client.request = function(method, params, handler, ...)
    if method ~= 'workspace/executeCommand' then return request(method, params, handler, ...) end
    return request(method, params, function(...)
      answered = true
      if handler then return handler(...) end
    end, ...)
  end
  vim.lsp.codelens.run()
  local done = wait('code lens command runs', 90000, function() return answered end)
  client.request = request
  done = done and wait('code lens command runs', 20000, function()
    vim.lsp.codelens.refresh()
    for _, l in ipairs(vim.lsp.codelens.get(buf) or {}) do
      if l.command and l.command.title:match('refined') then return true end
    end
    return false
  end)
  vim.notify = notify
  if done then
    local titles = {}
    for _, l in ipairs(vim.lsp.codelens.get(buf) or {}) do titles[#titles + 1] = l.command.title end
    local detail = 'chose Find among: ' .. table.concat(offered, ' | ') .. '; then: ' .. table.concat(titles, ' | ')
    record('code lens command runs', #notified == 0, detail .. (#notified > 0 and (' / notified: ' .. table.concat(notified, '; ')) or ''))
  end
else
  record('code lens command runs', false, 'no findNeurons lens among ' .. #lenses)
end

-- 5. formatting (0.7: formatting_sync): the messy first line of the file is formatted
local before = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
vim.lsp.buf.formatting_sync(nil, 20000)
local after = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
local changed = {}
for i = 1, math.max(#before, #after) do
  if before[i] ~= after[i] then changed[#changed + 1] = string.format('%q -> %q', before[i] or '', after[i] or '') end
end
record('formatting', #changed > 0, table.concat(changed, '; '))

client.stop()
end

vim.api.nvim_create_autocmd('VimEnter', {
  nested = true, -- so that :write fires BufWritePost (Neovim's didSave)
  callback = function()
    local ok, err = pcall(main)
    if not ok then record('script', false, tostring(err)) end
    finish(ok and 0 or 1)
  end,
})

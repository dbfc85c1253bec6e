-- Neovim (0.7 or newer) as a real client of `hyosan lsp`, headless:
--   STORY_FILE=story/school/act1-classroom.yaml nvim --headless -u NONE -c 'luafile tests/lsp/nvim_smoke.lua'
-- Opens the file, waits for the server's diagnostics, asks for completion after the
-- first `goto: ` and for the definition of that goto's scene, prints all of it, quits.
local file = vim.fn.fnamemodify(os.getenv("STORY_FILE"), ":p")
local cmd = vim.split(os.getenv("HYOSAN_LSP") or "hyosan lsp", " ")
local function out(line) io.stdout:write(line .. "\n") end

vim.cmd("edit " .. vim.fn.fnameescape(file))
local config = {
  name = "hyosan",
  cmd = cmd,
  root_dir = vim.fn.fnamemodify(vim.fn.findfile("story.yaml", vim.fn.fnamemodify(file, ":h") .. ";"), ":p:h"),
}
local client_id
if vim.lsp.start then -- Neovim 0.8+
  client_id = vim.lsp.start(config)
else -- Neovim 0.7: start the client, then attach the buffer
  client_id = vim.lsp.start_client(config)
  vim.lsp.buf_attach_client(0, client_id)
end
out("client " .. tostring(client_id) .. " started: " .. table.concat(cmd, " "))

local got = vim.wait(120000, function() return #vim.diagnostic.get(0) > 0 end, 100)
out("diagnostics (" .. (got and "received" or "none within 120 s") .. "):")
for _, d in ipairs(vim.diagnostic.get(0)) do
  local severity = d.severity == vim.diagnostic.severity.ERROR and "error" or "warning"
  out(string.format("  %s:%d:%d: %s: %s", vim.fn.fnamemodify(file, ":."), d.lnum + 1, d.col + 1, severity, d.message))
end

local row = vim.fn.search("goto: ", "w")
local line = vim.fn.getline(row)
local col = #line:match("^(.-goto: )")
local params = { textDocument = { uri = vim.uri_from_fname(file) }, position = { line = row - 1, character = col } }
local replies = vim.lsp.buf_request_sync(0, "textDocument/completion", params, 30000) or {}
for _, reply in pairs(replies) do
  local items = reply.result and (reply.result.items or reply.result) or {}
  local labels = {}
  for i = 1, math.min(5, #items) do labels[i] = items[i].label end
  out(string.format("completion after 'goto: ' on line %d: %d items, first: %s", row, #items, table.concat(labels, ", ")))
end

params.position.character = col + 1
replies = vim.lsp.buf_request_sync(0, "textDocument/definition", params, 30000) or {}
for _, reply in pairs(replies) do
  for _, loc in ipairs(reply.result or {}) do
    out(string.format("definition: %s:%d", vim.fn.fnamemodify(vim.uri_to_fname(loc.uri), ":."), loc.range.start.line + 1))
  end
end
vim.lsp.stop_client(client_id)
vim.cmd("qa!")

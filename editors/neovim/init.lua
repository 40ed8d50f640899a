-- keyward's language server in Neovim 0.7 or later, with no plugin:
--   nvim -u editors/neovim/init.lua key-policy.json
-- or copy it into your init.lua. `keyward` must be on PATH.

-- Scenario decisions are code lenses: refresh them as you type and when idle.
vim.opt.updatetime = 500

local function on_attach(_, bufnr)
  vim.api.nvim_create_autocmd({ "CursorHold", "InsertLeave", "TextChanged" }, {
    buffer = bufnr,
    callback = function() vim.lsp.codelens.refresh() end,
  })
  vim.lsp.codelens.refresh()
  local map = function(keys, fn) vim.keymap.set("n", keys, fn, { buffer = bufnr }) end
  map("K", vim.lsp.buf.hover)            -- what an action, key or operator is
  map("<leader>a", vim.lsp.buf.code_action) -- quick fixes
  map("<leader>l", vim.lsp.codelens.run)     -- a scenario check's explanation
end

local keyward_id
vim.api.nvim_create_autocmd("FileType", {
  pattern = { "json", "yaml", "terraform", "hcl" },
  callback = function(args)
    keyward_id = keyward_id or vim.lsp.start_client({
      name = "keyward",
      cmd = { "keyward", "lsp" },
      root_dir = vim.fn.getcwd(),
      on_attach = on_attach,
    })
    vim.lsp.buf_attach_client(args.buf, keyward_id)
  end,
})

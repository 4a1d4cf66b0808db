-- kscb's house style, applied by pandoc to html, docx and typst (pdf) output.
--
-- 1. BRAG cells coloured, the word kept: a table cell whose whole text is a BRAG colour
--    ("Red", "Amber (due soon)", ...) gets class brag-red (html), a fill (typst) or the
--    character style "BRAG Red" (docx; defined in reference.docx).
-- 2. Ids and dates never break: AP-LCSPR-2025-001#A1 and 2026-03-01 are kept whole
--    (a nobr span in html, a box in typst, non-breaking hyphens in docx).

local BRAG = { Red = "red", Amber = "amber", Green = "green", Blue = "blue", Withdrawn = "withdrawn" }
local FILL = { red = "#f6d1cb", amber = "#fde1cf", green = "#cce2d8", blue = "#d2e2f1", withdrawn = "#e8e9e9" }

local function brag_of(text)
  local word = text:match("^(%a+)$") or text:match("^(%a+) %(.*%)$")
  return word and BRAG[word]
end

local function whole(s)
  -- an id (two or more parts joined by hyphens, capitals and digits, maybe #ITEM) or an ISO date
  local core = s:gsub("[%.,;:%)]+$", "")
  if core:match("^%d%d%d%d%-%d%d%-%d%d$") then return true end
  if core:match("^[A-Z0-9]+%-[A-Za-z0-9%-]+[#A-Za-z0-9]*$") and core:find("%d") then return true end
  return false
end

local function typst_escape(s)
  return (s:gsub("([\\#%*_`%$@<>%[%]~])", "\\%1"))
end

function Str(el)
  if not el.text:find("%-") or not whole(el.text) then return nil end
  if FORMAT:match("html") then
    return pandoc.Span({ pandoc.Str(el.text) }, { class = "nobr" })
  elseif FORMAT:match("typst") then
    return pandoc.RawInline("typst", "#box[" .. typst_escape(el.text) .. "]")
  elseif FORMAT:match("docx") then
    return pandoc.Str((el.text:gsub("%-", "\u{2011}")))
  end
end

local function colour_cell(cell)
  local colour = brag_of(pandoc.utils.stringify(cell.contents))
  if not colour then return end
  if FORMAT:match("html") then
    cell.attr.classes:insert("brag")
    cell.attr.classes:insert("brag-" .. colour)
  elseif FORMAT:match("typst") then
    cell.attr.attributes["typst:fill"] = 'rgb("' .. FILL[colour] .. '")'
  elseif FORMAT:match("docx") then
    local style = "BRAG " .. colour:sub(1, 1):upper() .. colour:sub(2)
    cell.contents = cell.contents:walk({
      Plain = function(p) return pandoc.Plain({ pandoc.Span(p.content, { ["custom-style"] = style }) }) end,
      Para = function(p) return pandoc.Para({ pandoc.Span(p.content, { ["custom-style"] = style }) }) end,
    })
  end
end

function Table(t)
  for _, body in ipairs(t.bodies) do
    for _, row in ipairs(body.body) do
      for _, cell in ipairs(row.cells) do colour_cell(cell) end
    end
  end
  return t
end

-- Posts pre-signed webhook bodies (one per line: "<signature>\t<body>"), each thread its own slice,
-- so every request is a distinct, correctly signed event.
local path_file = os.getenv("WRK_REQUESTS") or "bench/.data/requests.tsv"
local api_url = os.getenv("WRK_SALEOR_API_URL") or "http://127.0.0.1:8000/graphql/"
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  requests = {}
  local n = 0
  for line in io.lines(path_file) do
    n = n + 1
    -- thread i takes lines i, i+k, i+2k ... (k = thread count, passed as the first script argument)
    if (n - 1) % tonumber(args[1]) == id then
      local tab = string.find(line, "\t", 1, true)
      table.insert(requests, {string.sub(line, 1, tab - 1), string.sub(line, tab + 1)})
    end
  end
  index = 0
end

function request()
  index = index + 1
  if index > #requests then index = 1 end
  local item = requests[index]
  local headers = {
    ["Content-Type"] = "application/json",
    ["Saleor-Event"] = "checkout_updated",
    ["Saleor-Api-Url"] = api_url,
    ["Saleor-Signature"] = item[1],
  }
  return wrk.format("POST", nil, headers, item[2])
end

-- Posts one fixed JSON body (the file named by WRK_BODY) to the URL wrk was given.
local file = io.open(os.getenv("WRK_BODY"), "rb")
local body = file:read("*a")
file:close()

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"

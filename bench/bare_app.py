"""The baseline for the ingest benchmark: a FastAPI endpoint that only reads the body and answers 200."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

app = FastAPI()


@app.post("/api/webhooks/checkout-updated")
async def receive(request: Request) -> JSONResponse:
    await request.body()
    return JSONResponse({"success": True})

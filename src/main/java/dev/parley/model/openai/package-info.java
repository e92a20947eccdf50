/**
 * The OpenAI Chat Completions provider ({@code POST {base-url}/chat/completions}, streamed), which also serves
 * OpenRouter, Ollama, llama.cpp, vLLM, LM Studio, Groq and Together. Depends on model.http, config and core only.
 */
package dev.parley.model.openai;

"""FastAPI dependencies as ``Annotated`` aliases, so routes declare what they need by type."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from assistant.core.conversation import ConversationCore
from assistant.errors import UnavailableError
from assistant.settings import Settings
from assistant.state import KeyValueStore


def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


def get_core(request: Request) -> ConversationCore:
    core = request.app.state.core
    if core is None:
        raise UnavailableError(request.app.state.model_error or "the assistant is starting")
    return core


def get_engine(request: Request) -> Engine:
    return request.app.state.engine


def get_sessions(request: Request) -> sessionmaker:
    return request.app.state.sessions


def get_store(request: Request) -> KeyValueStore:
    return request.app.state.store


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
CoreDep = Annotated[ConversationCore, Depends(get_core)]
EngineDep = Annotated[Engine, Depends(get_engine)]
SessionsDep = Annotated[sessionmaker, Depends(get_sessions)]
StoreDep = Annotated[KeyValueStore, Depends(get_store)]

"""aiogram routers for private chats, coordinators and groups."""

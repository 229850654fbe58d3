// SuperNova AI front end, version 1: the built bundle (a stand-in for the real one), routing on the client.
const routes = { '/': 'Home', '/dashboard': 'Dashboard', '/chat': 'Chat', '/models': 'Models' };
document.getElementById('root').textContent = (routes[location.pathname] ?? 'Not found') + ' (v1)';

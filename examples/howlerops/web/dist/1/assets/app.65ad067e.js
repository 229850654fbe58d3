// SQL Studio front end, version 1: the built bundle (a stand-in for the real one), routing on the client.
const routes = { '/': 'Connections', '/query': 'Query editor', '/settings': 'Settings' };
document.getElementById('root').textContent = (routes[location.pathname] ?? 'Not found') + ' (v1)';
